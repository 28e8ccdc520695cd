package vidkit.eval;

import java.util.Arrays;
import java.util.Random;

/**
 * How well predicted pair similarities follow judged pair scores (the video-similarity task's
 * metrics). {@code spearman}: Spearman's ρ, the Pearson correlation of the two rank vectors with
 * tied values given their average rank (as {@code scipy.stats.spearmanr}); NaN when either side is
 * constant. {@code low}/{@code high}: its 95% percentile bootstrap interval (pairs resampled with
 * replacement, seeded). {@code mse}: mean squared error between prediction and score (meaningful
 * when predictions are on the scores' scale, e.g. cosines regressed to scores). {@code
 * precisionAt10}: of the 10% of pairs the model ranks most similar, the share whose judged score
 * is at least the score at the judged 90th percentile (ties at that boundary count as relevant).
 */
public record SimilarityMetrics(int pairs, double spearman, double low, double high, double mse, double precisionAt10) {

    /** Average ranks, 1-based: tied values share the mean of the ranks they span. */
    public static double[] ranks(double[] x) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < n; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return aa == 0 || bb == 0 ? Double.NaN : ab / Math.sqrt(aa * bb);
    }

    /** Spearman's ρ of {@code predicted} and {@code truth} (same length, at least 2). */
    public static double spearman(double[] predicted, double[] truth) {
        if (predicted.length != truth.length || predicted.length < 2) {
            throw new IllegalArgumentException("Spearman needs two series of one length >= 2, got " + predicted.length + " and "
                    + truth.length);
        }
        return pearson(ranks(predicted), ranks(truth));
    }

    /** Every metric, with {@code resamples} bootstrap draws (seeded) for the interval. */
    public static SimilarityMetrics of(double[] predicted, double[] truth, int resamples, long seed) {
        double rho = spearman(predicted, truth);
        int n = truth.length;
        double[] draws = new double[resamples];
        Random random = new Random(seed);
        double[] p = new double[n];
        double[] t = new double[n];
        int kept = 0;
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                p[i] = predicted[k];
                t[i] = truth[k];
            }
            double r = spearman(p, t);
            if (!Double.isNaN(r)) {
                draws[kept++] = r;
            }
        }
        double low = Double.NaN;
        double high = Double.NaN;
        if (kept > 0) {
            double[] d = Arrays.copyOf(draws, kept);
            Arrays.sort(d);
            low = d[(int) Math.floor(0.025 * (kept - 1))];
            high = d[(int) Math.ceil(0.975 * (kept - 1))];
        }
        double mse = 0;
        for (int i = 0; i < n; i++) {
            mse += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
        }
        return new SimilarityMetrics(n, rho, low, high, mse / n, precisionAtTenPercent(predicted, truth));
    }

    /** See the record: the top 10% by prediction (at least one pair; ties broken by lower index) against the judged top 10%. */
    static double precisionAtTenPercent(double[] predicted, double[] truth) {
        int n = truth.length;
        int k = Math.max(1, n / 10);
        double[] sorted = truth.clone();
        Arrays.sort(sorted);
        double threshold = sorted[n - k];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> predicted[a] != predicted[b] ? Double.compare(predicted[b], predicted[a])
                : Integer.compare(a, b));
        int hits = 0;
        for (int i = 0; i < k; i++) {
            hits += truth[order[i]] >= threshold ? 1 : 0;
        }
        return (double) hits / k;
    }
}
