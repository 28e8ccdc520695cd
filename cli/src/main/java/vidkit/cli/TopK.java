package vidkit.cli;

import java.util.Arrays;
import java.util.Comparator;
import vidkit.eval.SimilarityMatrix;

/** Top-k columns of a row; ties broken by the lower column index (sorted-id order). */
final class TopK {
    private TopK() {}

    static int[] indices(SimilarityMatrix s, int row, int k) {
        Integer[] cols = new Integer[s.cols()];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = c;
        }
        Arrays.sort(cols, Comparator.<Integer>comparingDouble(c -> -s.get(row, c)).thenComparingInt(c -> c));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = cols[i];
        }
        return out;
    }
}
