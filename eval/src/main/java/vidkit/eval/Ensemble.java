package vidkit.eval;

import java.util.List;

/** Combines the similarity matrices of several models scored on the same rows and columns. */
public final class Ensemble {
    private Ensemble() {}

    /**
     * The mean of the members' matrices, each first standardized over all its entries ({@code (S −
     * mean) / std}) so that models whose scores have different scales weigh alike. One member is
     * returned unchanged.
     */
    public static SimilarityMatrix average(List<SimilarityMatrix> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        if (members.size() == 1) {
            return members.get(0);
        }
        SimilarityMatrix first = members.get(0);
        double[] sum = new double[first.values().length];
        for (SimilarityMatrix m : members) {
            if (m.rows() != first.rows() || m.cols() != first.cols()) {
                throw new IllegalArgumentException("ensemble members differ in shape: " + m.rows() + "x" + m.cols()
                        + " vs " + first.rows() + "x" + first.cols());
            }
            float[] z = Standardized.of(m.values(), 1);
            for (int i = 0; i < z.length; i++) {
                sum[i] += z[i];
            }
        }
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / members.size());
        }
        return new SimilarityMatrix(first.rows(), first.cols(), out);
    }
}
