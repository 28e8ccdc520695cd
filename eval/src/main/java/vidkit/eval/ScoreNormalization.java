package vidkit.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A transform of a whole similarity matrix before ranking. It uses every row and column of the
 * matrix it is given, so in the N-way protocol it is applied to each N×N subset on its own, as a
 * team handed N videos and N audios could do; never across clips outside the matrix.
 */
public enum ScoreNormalization {
    /** Scores as the model gives them. */
    @JsonProperty("none")
    NONE,
    /**
     * Dual softmax: with {@code Z} the matrix standardized over all its entries ({@code (S − mean) /
     * std}, so τ is unitless and works alike for probabilities and scaled cosines), {@code S'ij =
     * softmax over j of (Z/τ)ij × softmax over i of (Z/τ)ij}. An audio that scores high with many
     * videos (a "hub") is damped, which helps both directions.
     */
    @JsonProperty("dual_softmax")
    DUAL_SOFTMAX;

    /** The transformed copy of {@code s} ({@code [rows, cols]} row-major) at temperature {@code tau}. */
    public float[] apply(float[] s, int rows, int cols, double tau) {
        if (this == NONE) {
            return s;
        }
        return dualSoftmax(Standardized.of(s, tau), rows, cols);
    }

    private static float[] dualSoftmax(float[] s, int rows, int cols) {
        double tau = 1;
        double[] rowSoft = new double[s.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, s[r * cols + c] / tau);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(s[r * cols + c] / tau - max);
                rowSoft[r * cols + c] = e;
                sum += e;
            }
            for (int c = 0; c < cols; c++) {
                rowSoft[r * cols + c] /= sum;
            }
        }
        float[] out = new float[s.length];
        for (int c = 0; c < cols; c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                max = Math.max(max, s[r * cols + c] / tau);
            }
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += Math.exp(s[r * cols + c] / tau - max);
            }
            for (int r = 0; r < rows; r++) {
                out[r * cols + c] = (float) (rowSoft[r * cols + c] * Math.exp(s[r * cols + c] / tau - max) / sum);
            }
        }
        return out;
    }
}
