package vidkit.eval;

/** Z-scores of a matrix's entries: {@code (x − mean) / (std · extraScale)} over all entries. */
final class Standardized {
    private Standardized() {}

    /**
     * {@code values} standardized over all entries and divided by {@code extraScale}; a constant
     * matrix (std 0) is only centred and divided by {@code extraScale}.
     */
    static float[] of(float[] values, double extraScale) {
        double mean = 0;
        for (float x : values) {
            mean += x;
        }
        mean /= values.length;
        double var = 0;
        for (float x : values) {
            var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / values.length);
        double scale = (std > 0 ? std : 1) * extraScale;
        float[] z = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            z[i] = (float) ((values[i] - mean) / scale);
        }
        return z;
    }
}
