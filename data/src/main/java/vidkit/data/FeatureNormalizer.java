package vidkit.data;

/**
 * Per-feature standardization {@code (x - mean) / std}, fitted on the training split only and
 * saved with the model, so evaluation and serving see features scaled exactly as in training.
 * Features whose standard deviation is below {@link #MIN_STD} are only centred (divided by 1).
 *
 * @param mean per feature, length {@code featureDim}
 * @param std per feature, length {@code featureDim}, all positive
 */
public record FeatureNormalizer(float[] mean, float[] std) {
    public static final float MIN_STD = 1e-6f;

    public FeatureNormalizer {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " features, std " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite, got " + s);
            }
        }
    }

    /** Number of features. */
    public int dim() {
        return mean.length;
    }

    /** Fits mean and (population) standard deviation over every frame of every clip. */
    public static FeatureNormalizer fit(FeatureSet set) {
        int d = set.dim();
        double[] sum = new double[d];
        double[] sq = new double[d];
        float[] v = set.values();
        long rows = (long) set.size() * set.frames();
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                double x = v[o + j];
                sum[j] += x;
                sq[j] += x * x;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / rows;
            double var = Math.max(0, sq[j] / rows - m * m);
            mean[j] = (float) m;
            double s = Math.sqrt(var);
            std[j] = s < MIN_STD ? 1f : (float) s;
        }
        return new FeatureNormalizer(mean, std);
    }

    /** A standardized copy of {@code set}; its feature dimension must match. */
    public FeatureSet apply(FeatureSet set) {
        if (set.dim() != dim()) {
            throw new IllegalArgumentException(set.dir() + ": features have " + set.dim()
                    + " dimensions, the normalizer was fitted on " + dim());
        }
        float[] v = set.values();
        float[] out = new float[v.length];
        int d = dim();
        for (int i = 0; i < v.length; i++) {
            int j = i % d;
            out[i] = (v[i] - mean[j]) / std[j];
        }
        return set.withValues(out);
    }

    /** Fits over clips of any frame count, each {@code [frames, dim]} row-major. */
    public static FeatureNormalizer fitClips(java.util.List<float[]> clips, int dim) {
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        long rows = 0;
        for (float[] v : clips) {
            if (v.length % dim != 0) {
                throw new IllegalArgumentException("a clip of " + v.length + " values is not [frames, " + dim + "]");
            }
            for (int o = 0; o < v.length; o += dim) {
                for (int j = 0; j < dim; j++) {
                    double x = v[o + j];
                    sum[j] += x;
                    sq[j] += x * x;
                }
            }
            rows += v.length / dim;
        }
        float[] mean = new float[dim];
        float[] std = new float[dim];
        for (int j = 0; j < dim; j++) {
            double m = rows == 0 ? 0 : sum[j] / rows;
            double s = rows == 0 ? 1 : Math.sqrt(Math.max(0, sq[j] / rows - m * m));
            mean[j] = (float) m;
            std[j] = s < MIN_STD ? 1f : (float) s;
        }
        return new FeatureNormalizer(mean, std);
    }

    /** A standardized copy of one clip {@code [frames, dim]}. */
    public float[] applyClip(float[] clip) {
        int d = dim();
        if (clip.length % d != 0) {
            throw new IllegalArgumentException("a clip of " + clip.length + " values is not [frames, " + d + "]");
        }
        float[] out = new float[clip.length];
        for (int i = 0; i < clip.length; i++) {
            int j = i % d;
            out[i] = (clip[i] - mean[j]) / std[j];
        }
        return out;
    }
}
