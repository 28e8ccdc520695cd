package vidkit.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A deterministic paired dataset with real temporal structure, for the demo and tests.
 *
 * <p>Each clip has an event class c (of {@code classes}) that is active on a random interval of its
 * frames with a random per-second intensity envelope. Both modalities see the same event at the
 * same seconds with the same envelope: video frame t = clip background + envelope(t) · videoPrototype(c)
 * + noise; audio frame t likewise with the audio prototype, then quantized to integers 0..255 like
 * the course's VGGish features. The two backgrounds are independent, so a clip's audio can be found
 * only through the event's class, timing and envelope, as in real data. Pairs of consecutive clips
 * share a {@code youtube_id}, and labels.csv lists class, event name, group and event interval.
 */
public final class SyntheticPairs {
    private SyntheticPairs() {}

    /** Writes {@code clips} pairs under {@code dir} ({@code vfeat/}, {@code afeat/}, {@code labels.csv}). */
    public static void write(Path dir, int clips, int frames, int videoDim, int audioDim, int classes, long seed)
            throws IOException {
        Random r = new Random(seed);
        float[][] protoV = new float[classes][videoDim];
        float[][] protoA = new float[classes][audioDim];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < videoDim; j++) {
                protoV[c][j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < audioDim; j++) {
                protoA[c][j] = (float) r.nextGaussian();
            }
        }
        StringBuilder labels = new StringBuilder("id,label,event,youtube_id,start_s,end_s\n");
        for (int i = 0; i < clips; i++) {
            String id = String.format("%04d", i);
            int c = r.nextInt(classes);
            int start = r.nextInt(frames - 1);
            int end = start + 2 + r.nextInt(frames - start - 1);
            end = Math.min(end, frames);
            float[] envelope = new float[frames];
            for (int t = start; t < end; t++) {
                envelope[t] = 0.5f + r.nextFloat();
            }
            float[] bgV = gaussian(r, videoDim, 0.8);
            float[] bgA = gaussian(r, audioDim, 0.8);
            float[] v = new float[frames * videoDim];
            float[] a = new float[frames * audioDim];
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < videoDim; j++) {
                    v[t * videoDim + j] = bgV[j] + envelope[t] * protoV[c][j] + (float) (0.6 * r.nextGaussian());
                }
                for (int j = 0; j < audioDim; j++) {
                    double x = bgA[j] + envelope[t] * protoA[c][j] + 0.6 * r.nextGaussian();
                    a[t * audioDim + j] = (float) Math.max(0, Math.min(255, Math.rint(128 + 40 * x)));
                }
            }
            Npy.write(dir.resolve("vfeat/" + id + ".npy"), NpyArray.ofFloats(v, frames, videoDim));
            Npy.write(dir.resolve("afeat/" + id + ".npy"), NpyArray.ofFloats(a, frames, audioDim));
            labels.append(String.format("%s,%d,event %d,source%04d,%d,%d%n", id, c, c, i / 2, start, end));
        }
        AtomicFiles.writeString(dir.resolve(PairedDataset.LABELS_FILE), labels.toString());
    }

    private static float[] gaussian(Random r, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sd * r.nextGaussian());
        }
        return x;
    }
}
