package vidkit.media;

/**
 * Log-mel statistics per second, the audio extractor that needs no model: each second of 16 kHz
 * audio is cut into 25 ms periodic-Hann windows every 10 ms (98 windows, all inside the second),
 * each window's 512-point FFT magnitude goes through 64 triangular mel filters from 125 to 7,500
 * Hz (HTK mel scale, as YAMNet's and VGGish's front ends), {@code log(mel + 0.001)}; the second's
 * feature is the mean of each band over its windows followed by their standard deviation:
 * {@code [seconds, 128]} (the width of VGGish's embedding). Golden values:
 * {@code tools/logmel_golden.py}.
 */
public final class LogMelFeatures {
    /** Its name in manifests and runs. */
    public static final String NAME = "logmel-64x2";
    /** As an {@link AudioModel}. */
    public static final AudioModel MODEL = new AudioModel() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String sha256() {
            return null;
        }

        @Override
        public int dimension() {
            return DIMENSION;
        }

        @Override
        public float[] features(float[] audio, int seconds) {
            return of(audio, seconds);
        }
    };
    public static final int BANDS = 64;
    public static final int DIMENSION = 2 * BANDS;
    static final int WINDOW = 400;
    static final int HOP = 160;
    static final int FFT = 512;
    static final double LOW_HZ = 125;
    static final double HIGH_HZ = 7500;
    static final double LOG_OFFSET = 0.001;

    private static final double[] HANN = new double[WINDOW];
    /** {@code [BANDS, FFT/2 + 1]} filter weights. */
    private static final double[][] MEL = melMatrix();

    static {
        for (int i = 0; i < WINDOW; i++) {
            HANN[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / WINDOW);
        }
    }

    private LogMelFeatures() {}

    static double hzToMel(double hz) {
        return 1127.0 * Math.log(1 + hz / 700.0);
    }

    private static double[][] melMatrix() {
        int bins = FFT / 2 + 1;
        double[][] m = new double[BANDS][bins];
        double lo = hzToMel(LOW_HZ);
        double hi = hzToMel(HIGH_HZ);
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = lo + (hi - lo) * i / (BANDS + 1);
        }
        for (int k = 0; k < bins; k++) {
            double mel = hzToMel((double) k * MediaDecoder.SAMPLE_RATE / FFT);
            for (int b = 0; b < BANDS; b++) {
                double lower = (mel - edges[b]) / (edges[b + 1] - edges[b]);
                double upper = (edges[b + 2] - mel) / (edges[b + 2] - edges[b + 1]);
                m[b][k] = k == 0 ? 0 : Math.max(0, Math.min(lower, upper));
            }
        }
        return m;
    }

    /** {@code audio} ({@code seconds × 16000} samples) → {@code [seconds, 128]}. */
    public static float[] of(float[] audio, int seconds) {
        int rate = MediaDecoder.SAMPLE_RATE;
        if (audio.length < (long) seconds * rate) {
            throw new IllegalArgumentException(seconds + " seconds need " + (long) seconds * rate + " samples, got "
                    + audio.length);
        }
        int windows = (rate - WINDOW) / HOP + 1;
        float[] out = new float[seconds * DIMENSION];
        double[] re = new double[FFT];
        double[] im = new double[FFT];
        double[][] logMel = new double[windows][BANDS];
        for (int s = 0; s < seconds; s++) {
            for (int w = 0; w < windows; w++) {
                int start = s * rate + w * HOP;
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                for (int i = 0; i < WINDOW; i++) {
                    re[i] = audio[start + i] * HANN[i];
                }
                fft(re, im);
                for (int b = 0; b < BANDS; b++) {
                    double e = 0;
                    for (int k = 0; k <= FFT / 2; k++) {
                        if (MEL[b][k] != 0) {
                            e += MEL[b][k] * Math.hypot(re[k], im[k]);
                        }
                    }
                    logMel[w][b] = Math.log(e + LOG_OFFSET);
                }
            }
            for (int b = 0; b < BANDS; b++) {
                double mean = 0;
                for (int w = 0; w < windows; w++) {
                    mean += logMel[w][b];
                }
                mean /= windows;
                double var = 0;
                for (int w = 0; w < windows; w++) {
                    var += (logMel[w][b] - mean) * (logMel[w][b] - mean);
                }
                out[s * DIMENSION + b] = (float) mean;
                out[s * DIMENSION + BANDS + b] = (float) Math.sqrt(var / windows);
            }
        }
        return out;
    }

    /** In-place radix-2 FFT of {@code re + i·im} (length a power of two). */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            double wr = Math.cos(ang);
            double wi = Math.sin(ang);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double nr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = nr;
                }
            }
        }
    }
}
