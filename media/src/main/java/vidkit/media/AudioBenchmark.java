package vidkit.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How well an audio extractor tells sounds apart, measured the same way for every extractor: each
 * sound file's first {@value #SECONDS} seconds (looped when shorter) is one recording; a second
 * recording of the same sound is made by halving its level, low-passing it (one-pole, about 4 kHz)
 * and adding white noise a given number of dB below its power (seeded). Every recording becomes its mean per-second
 * feature, unit length; the figure is top-1 retrieval: the share of degraded recordings whose most
 * similar clean recording (cosine) is their own sound, among all the files.
 */
public final class AudioBenchmark {
    static final int SECONDS = 2;

    private AudioBenchmark() {}

    /** One extractor's figures. */
    /**
     * @param top1 degraded → clean retrieval of the same sound
     * @param familyTop1 leave-one-out: the share of clean recordings whose nearest other recording
     *     is of the same family (file name up to its first '-' or '.', e.g. {@code phone-*},
     *     {@code dialog-*}), over files whose family has at least two
     */
    public record Row(String extractor, int dimension, int sounds, double top1, double familyTop1,
            double secondsPerSecond) {}

    /** Clean and degraded recordings of the files ({@code [files][SECONDS · 16000]} each). */
    public record Recordings(List<Path> files, float[][] clean, float[][] degraded) {}

    /** The files' clean recordings: each file's first {@value #SECONDS} s (looped), files under 0.1 s left out. */
    public record Sounds(List<Path> files, float[][] clean) {}

    /** Decodes {@code files} once, for any number of {@link #degrade} levels. */
    public static Sounds decode(List<Path> files, MediaDecoder decoder) throws MediaException {
        int n = SECONDS * MediaDecoder.SAMPLE_RATE;
        List<Path> kept = new ArrayList<>();
        List<float[]> clean = new ArrayList<>();
        for (Path f : files) {
            float[] a = decoder.decodeAudio(f);
            if (a.length < MediaDecoder.SAMPLE_RATE / 10) {
                continue; // under 0.1 s: nothing to loop
            }
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = a[i % a.length];
            }
            kept.add(f);
            clean.add(x);
        }
        return new Sounds(kept, clean.toArray(float[][]::new));
    }

    /** The clean recordings and their degraded copies, {@code snrDb}: the white noise's level below each recording's power. */
    public static Recordings degrade(Sounds sounds, double snrDb, long seed) {
        int n = SECONDS * MediaDecoder.SAMPLE_RATE;
        Random random = new Random(seed);
        float[][] degraded = new float[sounds.clean().length][];
        for (int k = 0; k < degraded.length; k++) {
            float[] x = sounds.clean()[k];
            double power = 0;
            for (float v : x) {
                power += v * v;
            }
            power /= n;
            double noise = Math.sqrt(power / Math.pow(10, snrDb / 10));
            float[] y = new float[n];
            double low = 0;
            double alpha = 1 - Math.exp(-2 * Math.PI * 4000.0 / MediaDecoder.SAMPLE_RATE);
            for (int i = 0; i < n; i++) {
                low += alpha * (x[i] - low);
                y[i] = (float) (0.5 * low + noise * random.nextGaussian());
            }
            degraded[k] = y;
        }
        return new Recordings(sounds.files(), sounds.clean(), degraded);
    }

    public static Row measure(AudioModel model, Recordings r) {
        int files = r.files().size();
        long start = System.nanoTime();
        float[][] a = new float[files][];
        float[][] b = new float[files][];
        for (int i = 0; i < files; i++) {
            a[i] = meanUnit(model.features(r.clean()[i], SECONDS), model.dimension());
            b[i] = meanUnit(model.features(r.degraded()[i], SECONDS), model.dimension());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int right = 0;
        for (int i = 0; i < files; i++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < files; j++) {
                double s = 0;
                for (int d = 0; d < model.dimension(); d++) {
                    s += b[i][d] * a[j][d];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            right += best == i ? 1 : 0;
        }
        String[] family = new String[files];
        java.util.Map<String, Integer> sizes = new java.util.HashMap<>();
        for (int i = 0; i < files; i++) {
            String n = r.files().get(i).getFileName().toString();
            int cut = n.indexOf('-') > 0 ? n.indexOf('-') : n.indexOf('.') > 0 ? n.indexOf('.') : n.length();
            family[i] = n.substring(0, cut);
            sizes.merge(family[i], 1, Integer::sum);
        }
        int asked = 0;
        int same = 0;
        for (int i = 0; i < files; i++) {
            if (sizes.get(family[i]) < 2) {
                continue;
            }
            asked++;
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < files; j++) {
                if (j == i) {
                    continue;
                }
                double s = 0;
                for (int d = 0; d < model.dimension(); d++) {
                    s += a[i][d] * a[j][d];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            same += family[best].equals(family[i]) ? 1 : 0;
        }
        return new Row(model.name(), model.dimension(), files, (double) right / files,
                asked == 0 ? Double.NaN : (double) same / asked, 2.0 * files * SECONDS / seconds);
    }

    /** The mean over seconds of {@code [seconds, dim]} features, normalized to unit length. */
    static float[] meanUnit(float[] x, int dim) {
        float[] m = new float[dim];
        int rows = x.length / dim;
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dim; d++) {
                m[d] += x[r * dim + d] / rows;
            }
        }
        double norm = 0;
        for (float v : m) {
            norm += v * v;
        }
        float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < dim; d++) {
            m[d] *= inv;
        }
        return m;
    }
}
