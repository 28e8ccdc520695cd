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
    DUAL_SOFTMAX,
    /**
     * Sinkhorn balancing: {@code K = exp(Z/τ)} (Z standardized as for dual softmax) scaled to a
     * doubly stochastic matrix {@code S'ij = ui·Kij·vj} by {@value #SINKHORN_ITERATIONS} alternating
     * normalizations, rows first, so the last step makes every column sum to 1 exactly and rows to 1
     * within the iterations' tolerance. It is the soft form of the one-to-one assignment the N×N
     * protocol implies (each video has exactly one audio and each audio one video); dual softmax is
     * a one-step approximation of it. Computed in the log domain, so no temperature underflows. A non-square
     * matrix is balanced to rows summing to 1 and columns to {@code rows/cols} (the marginals of a
     * uniform transport plan).
     */
    @JsonProperty("sinkhorn")
    SINKHORN;

    /** Alternating row and column normalizations of {@link #SINKHORN} (top-1 stops changing by 10–20 on the course data). */
    public static final int SINKHORN_ITERATIONS = 20;

    /** The transformed copy of {@code s} ({@code [rows, cols]} row-major) at temperature {@code tau}. */
    public float[] apply(float[] s, int rows, int cols, double tau) {
        return switch (this) {
            case NONE -> s;
            case DUAL_SOFTMAX -> dualSoftmax(Standardized.of(s, tau), rows, cols);
            case SINKHORN -> sinkhorn(Standardized.of(s, tau), rows, cols, SINKHORN_ITERATIONS);
        };
    }

    /**
     * Log-domain Sinkhorn on {@code z} ({@code [rows, cols]}, already divided by τ): row potentials
     * {@code a} and column potentials {@code b} with {@code a_i = log(1) − logsumexp_j(z_ij + b_j)}
     * and {@code b_j = log(rows/cols) − logsumexp_i(z_ij + a_i)}, {@code iterations} times; the result
     * is {@code exp(z_ij + a_i + b_j)}.
     */
    static float[] sinkhorn(float[] z, int rows, int cols, int iterations) {
        double[] a = new double[rows];
        double[] b = new double[cols];
        double columnMass = Math.log((double) rows / cols);
        double[] buf = new double[Math.max(rows, cols)];
        for (int it = 0; it < iterations; it++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    buf[c] = z[r * cols + c] + b[c];
                }
                a[r] = -logSumExp(buf, cols);
            }
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    buf[r] = z[r * cols + c] + a[r];
                }
                b[c] = columnMass - logSumExp(buf, rows);
            }
        }
        float[] out = new float[z.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (float) Math.exp(z[r * cols + c] + a[r] + b[c]);
            }
        }
        return out;
    }

    private static double logSumExp(double[] x, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[i] - max);
        }
        return max + Math.log(sum);
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

    /** {@code none}, {@code dual_softmax} or {@code sinkhorn} (any case); anything else is an error listing them. */
    public static ScoreNormalization parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> NONE;
            case "dual_softmax" -> DUAL_SOFTMAX;
            case "sinkhorn" -> SINKHORN;
            default -> throw new IllegalArgumentException("--normalization must be none, dual_softmax or sinkhorn, got "
                    + name);
        };
    }
}
