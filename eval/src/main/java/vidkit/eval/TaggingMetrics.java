package vidkit.eval;

import java.util.Arrays;

/**
 * The official YouTube-8M evaluation metrics (the starter code's {@code eval_util.py} and {@code
 * average_precision_calculator.py}) over scores {@code [videos, classes]} row-major and each video's
 * true label set.
 *
 * <ul>
 *   <li><b>GAP@k</b> (k = 20): each video's top k predictions are pooled into one list, sorted by
 *       score; {@code AP = Σ_i precision@i · rel_i / P}, where P counts <em>all</em> positives of
 *       all videos, including those outside every top k (so GAP ≤ recall of the top-k lists).
 *   <li><b>mAP</b>: the mean over classes of the same AP on the class's column of all videos; classes
 *       without a positive in the evaluated set are left out (their AP is undefined; the 2017
 *       starter code divided by all classes, counting them as 0 — {@link #meanAveragePrecisionAllClasses}
 *       gives that too).
 *   <li><b>Hit@1</b>: share of videos whose top-scored class is one of their labels.
 *   <li><b>PERR</b>: for a video with n labels, the share of its top n classes that are labels;
 *       averaged over <em>all</em> videos, those without labels contributing 0 (as the official code
 *       does).
 * </ul>
 *
 * <p>Tie rules (the official code breaks ties arbitrarily: numpy's argpartition, and a seeded
 * Python shuffle before sorting): within a video, equal scores are ordered by class index, lower
 * first (top-k selection, Hit@1 as numpy's argmax, PERR); in an AP list, equal scores put negatives
 * before positives, the pessimistic order. Scores are compared as floats; only their order matters,
 * so any strictly increasing transform of the scores (logits vs probabilities) gives the same
 * metrics.
 */
public final class TaggingMetrics {
    public static final int GAP_TOP_K = 20;

    private final int videos;
    private final int classes;
    private final float[] scores;
    private final boolean[] truth;

    /**
     * @param scores {@code [videos, classes]} row-major; NaN is rejected
     * @param labels each video's label indices in {@code [0, classes)}
     */
    public TaggingMetrics(float[] scores, int classes, int[][] labels) {
        if (classes < 1 || scores.length != (long) labels.length * classes) {
            throw new IllegalArgumentException("scores hold " + scores.length + " values; expected " + labels.length
                    + " videos × " + classes + " classes");
        }
        this.videos = labels.length;
        this.classes = classes;
        this.scores = scores;
        this.truth = new boolean[scores.length];
        for (int v = 0; v < videos; v++) {
            for (int l : labels[v]) {
                if (l < 0 || l >= classes) {
                    throw new IllegalArgumentException("video " + v + ": label " + l + " outside [0, " + classes + ")");
                }
                truth[v * classes + l] = true;
            }
        }
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("NaN score for video " + i / classes + ", class " + i % classes);
            }
        }
    }

    public int videos() {
        return videos;
    }

    /** Class indices of video {@code v} by descending score, ties by lower index; the first {@code k}. */
    public int[] topClasses(int v, int k) {
        k = Math.min(k, classes);
        int base = v * classes;
        // selection by insertion into a sorted prefix: k is small (20) next to classes (3,862)
        int[] top = new int[k];
        int n = 0;
        for (int c = 0; c < classes; c++) {
            float s = scores[base + c];
            if (n == k && !(s > scores[base + top[k - 1]])) {
                continue; // not strictly better than the last kept: the lower index (kept) wins a tie
            }
            int pos = n == k ? k - 1 : n++;
            while (pos > 0 && s > scores[base + top[pos - 1]]) {
                top[pos] = top[pos - 1];
                pos--;
            }
            top[pos] = c;
        }
        return top;
    }

    /** GAP over each video's top {@code k} predictions. */
    public double globalAveragePrecision(int k) {
        int kk = Math.min(k, classes);
        float[] s = new float[videos * kk];
        boolean[] rel = new boolean[s.length];
        long positives = 0;
        for (int v = 0; v < videos; v++) {
            int[] top = topClasses(v, kk);
            for (int j = 0; j < kk; j++) {
                s[v * kk + j] = scores[v * classes + top[j]];
                rel[v * kk + j] = truth[v * classes + top[j]];
            }
            for (int c = 0; c < classes; c++) {
                if (truth[v * classes + c]) {
                    positives++;
                }
            }
        }
        return averagePrecision(s, rel, positives);
    }

    /** Per-class AP over all videos; {@code NaN} for classes without a positive. */
    public double[] perClassAveragePrecision() {
        double[] ap = new double[classes];
        float[] s = new float[videos];
        boolean[] rel = new boolean[videos];
        for (int c = 0; c < classes; c++) {
            long positives = 0;
            for (int v = 0; v < videos; v++) {
                s[v] = scores[v * classes + c];
                rel[v] = truth[v * classes + c];
                if (rel[v]) {
                    positives++;
                }
            }
            ap[c] = positives == 0 ? Double.NaN : averagePrecision(s, rel, positives);
        }
        return ap;
    }

    /** mAP over the classes that have at least one positive. */
    public double meanAveragePrecision() {
        double sum = 0;
        int n = 0;
        for (double a : perClassAveragePrecision()) {
            if (!Double.isNaN(a)) {
                sum += a;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** mAP dividing by every class, those without positives counting 0 (the 2017 starter code). */
    public double meanAveragePrecisionAllClasses() {
        double sum = 0;
        for (double a : perClassAveragePrecision()) {
            sum += Double.isNaN(a) ? 0 : a;
        }
        return sum / classes;
    }

    public double hitAtOne() {
        if (videos == 0) {
            return 0;
        }
        int hits = 0;
        for (int v = 0; v < videos; v++) {
            if (truth[v * classes + topClasses(v, 1)[0]]) {
                hits++;
            }
        }
        return (double) hits / videos;
    }

    /** Precision at equal recall rate, averaged over all videos. */
    public double precisionAtEqualRecallRate() {
        if (videos == 0) {
            return 0;
        }
        double sum = 0;
        for (int v = 0; v < videos; v++) {
            int n = 0;
            for (int c = 0; c < classes; c++) {
                if (truth[v * classes + c]) {
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            int hits = 0;
            for (int c : topClasses(v, n)) {
                if (truth[v * classes + c]) {
                    hits++;
                }
            }
            sum += (double) hits / n;
        }
        return sum / videos;
    }

    /**
     * AP of a ranked list: {@code Σ_{i: rel} (positives up to i) / i}, divided by {@code positives}
     * (which may exceed the positives in the list). Sorted by score descending; equal scores put
     * negatives first.
     */
    static double averagePrecision(float[] s, boolean[] rel, long positives) {
        if (positives == 0) {
            return 0;
        }
        // one primitive sort: key = (descending score order) << 1 | relevant, so at equal scores the
        // negatives (0) come first
        long[] keys = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            int bits = Float.floatToIntBits(s[i] == 0f ? 0f : s[i]); // -0 ties with +0
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[i] = ((long) ~ascending << 1) | (rel[i] ? 1 : 0);
        }
        Arrays.sort(keys);
        double ap = 0;
        long hits = 0;
        for (int i = 0; i < keys.length; i++) {
            if ((keys[i] & 1) != 0) {
                hits++;
                ap += (double) hits / (i + 1);
            }
        }
        return ap / positives;
    }

    /** All four headline metrics. */
    public record Summary(double gap, double meanAveragePrecision, double hitAtOne, double perr) {}

    public Summary summary() {
        return new Summary(globalAveragePrecision(GAP_TOP_K), meanAveragePrecision(), hitAtOne(),
                precisionAtEqualRecallRate());
    }
}
