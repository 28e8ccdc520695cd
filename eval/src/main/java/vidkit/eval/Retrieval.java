package vidkit.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Retrieval metrics on a square similarity matrix whose true pairs lie on the diagonal.
 *
 * <p><b>Tie rule.</b> The rank of the true item is {@code 1 + (number of other items scoring at
 * least as high)}: ties count against the true item. A model that gives every item the same score
 * thus ranks every true item last, never first. This is deterministic and never flatters a model.
 *
 * <p><b>Course protocol.</b> Draw {@code draws} subsets of {@code subsetSize} distinct items (a
 * seeded {@link SplittableRandom}; partial Fisher–Yates), rank each row's true audio among the
 * subset's audios only, and average the top-k hit rates over all rows of all draws.
 *
 * <p><b>Bootstrap.</b> Intervals resample the queries with replacement {@code bootstrap} times and
 * take the 2.5th and 97.5th percentiles (nearest-rank) of the metric.
 */
public final class Retrieval {
    private Retrieval() {}

    /** 1-based rank of column {@code truth} within row {@code r}, ties counted against it. */
    public static int rankInRow(SimilarityMatrix s, int r, int truth) {
        float t = s.get(r, truth);
        int rank = 1;
        int base = r * s.cols();
        for (int c = 0; c < s.cols(); c++) {
            if (c != truth && s.values()[base + c] >= t) {
                rank++;
            }
        }
        return rank;
    }

    /** Ranks of the true (diagonal) item for every row. */
    public static int[] diagonalRanks(SimilarityMatrix s) {
        requireSquare(s);
        int[] ranks = new int[s.rows()];
        for (int r = 0; r < s.rows(); r++) {
            ranks[r] = rankInRow(s, r, r);
        }
        return ranks;
    }

    /**
     * Mean top-k accuracy (k = 1..maxK) over {@code draws} random subsets of {@code subsetSize}
     * items, by k.
     */
    public static Map<Integer, Double> subsetTopK(SimilarityMatrix s, int subsetSize, int draws, long seed, int maxK) {
        return subsetTopK(s, subsetSize, draws, seed, maxK, ScoreNormalization.NONE, 1);
    }

    /** As {@link #subsetTopK(SimilarityMatrix, int, int, long, int)}, each subset's matrix normalized first. */
    public static Map<Integer, Double> subsetTopK(SimilarityMatrix s, int subsetSize, int draws, long seed, int maxK,
            ScoreNormalization normalization, double temperature) {
        requireSquare(s);
        float[] sub = new float[subsetSize * subsetSize];
        int[] ranks = new int[subsetSize];
        return subsetProtocol(s.rows(), subsetSize, draws, seed, maxK, idx -> {
            for (int a = 0; a < subsetSize; a++) {
                for (int b = 0; b < subsetSize; b++) {
                    sub[a * subsetSize + b] = s.get(idx[a], idx[b]);
                }
            }
            float[] scored = normalization.apply(sub, subsetSize, subsetSize, temperature);
            for (int a = 0; a < subsetSize; a++) {
                float t = scored[a * subsetSize + a];
                int rank = 1;
                for (int b = 0; b < subsetSize; b++) {
                    if (b != a && scored[a * subsetSize + b] >= t) {
                        rank++;
                    }
                }
                ranks[a] = rank;
            }
            return ranks;
        });
    }

    /** Ranks of the true items of one drawn subset, by position in the subset. */
    interface SubsetRanker {
        /** {@code subset}: the drawn item indices; returns each position's true-item rank (may reuse its array). */
        int[] ranks(int[] subset);
    }

    /**
     * The course protocol's skeleton: {@code draws} subsets of {@code subsetSize} distinct items of
     * {@code n} (seeded partial Fisher–Yates), ranked by {@code ranker}, top-k hit rates by k.
     */
    static Map<Integer, Double> subsetProtocol(int n, int subsetSize, int draws, long seed, int maxK,
            SubsetRanker ranker) {
        if (subsetSize < 2 || subsetSize > n) {
            throw new IllegalArgumentException("subset size must be in 2.." + n + ", got " + subsetSize);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] pool = new int[n];
        long[] hits = new long[maxK + 1];
        int[] idx = new int[subsetSize];
        for (int d = 0; d < draws; d++) {
            for (int i = 0; i < n; i++) {
                pool[i] = i;
            }
            for (int i = 0; i < subsetSize; i++) {
                int j = i + random.nextInt(n - i);
                int tmp = pool[i];
                pool[i] = pool[j];
                pool[j] = tmp;
                idx[i] = pool[i];
            }
            for (int rank : ranker.ranks(idx)) {
                for (int k = rank; k <= maxK; k++) {
                    hits[k]++;
                }
            }
        }
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int k = 1; k <= maxK; k++) {
            out.put(k, hits[k] / ((double) draws * subsetSize));
        }
        return out;
    }

    /** Whole-set metrics for queries whose true items ranked {@code ranks}. */
    public static DirectionMetrics direction(int[] ranks, int bootstrap, long seed) {
        int n = ranks.length;
        if (n == 0) {
            throw new IllegalArgumentException("no queries");
        }
        double[][] samples = new double[5][bootstrap];
        SplittableRandom random = new SplittableRandom(seed);
        int[] resampled = new int[n];
        for (int b = 0; b < bootstrap; b++) {
            for (int i = 0; i < n; i++) {
                resampled[i] = ranks[random.nextInt(n)];
            }
            double[] m = pointMetrics(resampled);
            for (int j = 0; j < 5; j++) {
                samples[j][b] = m[j];
            }
        }
        double[] point = pointMetrics(ranks);
        Estimate[] e = new Estimate[5];
        for (int j = 0; j < 5; j++) {
            double[] sorted = samples[j].clone();
            Arrays.sort(sorted);
            e[j] = bootstrap == 0
                    ? new Estimate(point[j], point[j], point[j])
                    : new Estimate(point[j], percentile(sorted, 2.5), percentile(sorted, 97.5));
        }
        return new DirectionMetrics(n, e[0], e[1], e[2], e[3], e[4]);
    }

    /** R@1, R@5, R@10, median rank and MRR of {@code ranks}. */
    static double[] pointMetrics(int[] ranks) {
        int n = ranks.length;
        double r1 = 0;
        double r5 = 0;
        double r10 = 0;
        double rr = 0;
        for (int r : ranks) {
            r1 += r <= 1 ? 1 : 0;
            r5 += r <= 5 ? 1 : 0;
            r10 += r <= 10 ? 1 : 0;
            rr += 1.0 / r;
        }
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new double[] {r1 / n, r5 / n, r10 / n, median, rr / n};
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * The full report: the course protocol (top-1..5 on {@code subsetSize}-way subsets) and
     * whole-set metrics in both directions.
     */
    public static RetrievalReport evaluate(SimilarityMatrix s, int subsetSize, int draws, int bootstrap, long seed) {
        return evaluate(s, subsetSize, draws, bootstrap, seed, ScoreNormalization.NONE, 1);
    }

    /**
     * As {@link #evaluate(SimilarityMatrix, int, int, int, long)} with a score normalization: applied
     * to each subset's matrix in the course protocol and to the whole matrix for whole-set metrics.
     */
    public static RetrievalReport evaluate(SimilarityMatrix s, int subsetSize, int draws, int bootstrap, long seed,
            ScoreNormalization normalization, double temperature) {
        requireSquare(s);
        int sub = Math.min(subsetSize, s.rows());
        Map<Integer, Double> topK = subsetTopK(s, sub, draws, seed, 5, normalization, temperature);
        SimilarityMatrix whole = new SimilarityMatrix(s.rows(), s.cols(),
                normalization.apply(s.values(), s.rows(), s.cols(), temperature));
        DirectionMetrics v2a = direction(diagonalRanks(whole), bootstrap, seed + 1);
        DirectionMetrics a2v = direction(diagonalRanks(whole.transpose()), bootstrap, seed + 2);
        return new RetrievalReport(s.rows(), sub, draws, topK, v2a, a2v);
    }

    private static void requireSquare(SimilarityMatrix s) {
        if (s.rows() != s.cols() || s.rows() == 0) {
            throw new IllegalArgumentException("need a non-empty square matrix with true pairs on the diagonal, got "
                    + s.rows() + "x" + s.cols());
        }
    }
}
