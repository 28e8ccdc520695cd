package vidkit.eval;

import java.util.Arrays;
import java.util.Map;

/**
 * Two-stage retrieval: a first-stage matrix picks each query's top-k candidates, a second-stage
 * (cross-model) matrix orders them.
 *
 * <p>Rule, per query row with true item t among candidates C: let r = t's first-stage rank in C
 * (ties against t, as in {@link Retrieval}). If r &gt; k, t is not in the short list and keeps rank
 * r. Otherwise the short list T is t, every candidate ranked ahead of it, and the best of the rest
 * by first-stage score (then lower index) until |T| = k; t's rank is 1 + the number of other items
 * of T whose second-stage score is at least t's. With k = 1 this is the first stage's ranking, with
 * k = |C| the second stage's.
 */
public final class Reranking {
    private Reranking() {}

    /** t's rank among the candidates {@code cand} (indices into rows of both matrices). */
    static int rank(SimilarityMatrix first, SimilarityMatrix second, int row, int truth, int[] cand, int k) {
        float t = first.get(row, truth);
        int ahead = 0;
        for (int c : cand) {
            if (c != truth && first.get(row, c) >= t) {
                ahead++;
            }
        }
        int r = 1 + ahead;
        if (r > k) {
            return r;
        }
        // the rest of the short list: best first-stage scores below t's, lower index first on ties
        Integer[] below = Arrays.stream(cand).filter(c -> c != truth && first.get(row, c) < t).boxed()
                .toArray(Integer[]::new);
        Arrays.sort(below, (x, y) -> {
            int cmp = Float.compare(first.get(row, y), first.get(row, x));
            return cmp != 0 ? cmp : Integer.compare(x, y);
        });
        float s = second.get(row, truth);
        int rank = 1;
        for (int c : cand) {
            if (c != truth && first.get(row, c) >= t && second.get(row, c) >= s) {
                rank++;
            }
        }
        for (int i = 0; i < k - r && i < below.length; i++) {
            if (second.get(row, below[i]) >= s) {
                rank++;
            }
        }
        return rank;
    }

    /** Ranks of every row's diagonal item over all columns. */
    public static int[] diagonalRanks(SimilarityMatrix first, SimilarityMatrix second, int k) {
        int n = first.rows();
        int[] all = new int[first.cols()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int[] ranks = new int[n];
        for (int r = 0; r < n; r++) {
            ranks[r] = rank(first, second, r, r, all, k);
        }
        return ranks;
    }

    /** The course protocol with re-ranking inside each subset (same draws as {@link Retrieval#subsetTopK}). */
    public static Map<Integer, Double> subsetTopK(SimilarityMatrix first, SimilarityMatrix second, int k, int subsetSize,
            int draws, long seed, int maxK) {
        int[] ranks = new int[subsetSize];
        return Retrieval.subsetProtocol(first.rows(), subsetSize, draws, seed, maxK, idx -> {
            for (int a = 0; a < subsetSize; a++) {
                ranks[a] = rank(first, second, idx[a], idx[a], idx, k);
            }
            return ranks;
        });
    }

    /** The full report of the two-stage ranking, both directions. */
    public static RetrievalReport evaluate(SimilarityMatrix first, SimilarityMatrix second, int k, int subsetSize,
            int draws, int bootstrap, long seed) {
        int sub = Math.min(subsetSize, first.rows());
        Map<Integer, Double> topK = subsetTopK(first, second, k, sub, draws, seed, 5);
        DirectionMetrics v2a = Retrieval.direction(diagonalRanks(first, second, k), bootstrap, seed + 1);
        DirectionMetrics a2v = Retrieval.direction(diagonalRanks(first.transpose(), second.transpose(), k), bootstrap,
                seed + 2);
        return new RetrievalReport(first.rows(), sub, draws, topK, v2a, a2v);
    }
}
