package vidkit.localization;

import java.util.ArrayList;
import java.util.List;

/**
 * Metrics of per-second labels ({@code 0..C-1} events, {@code C} background), AVE's protocol:
 * segment accuracy is the share of all 1-second segments whose predicted label equals the truth;
 * per class, the share of a true class's seconds labelled right (background included); the
 * boundary error of a clip is {@code |start' − start|} and {@code |end' − end|} in seconds, where a
 * labelling's start is its first event second and its end one past its last (a labelling without
 * events counts as {@code [0, 0)}), averaged over clips.
 *
 * @param accuracy segment accuracy
 * @param perClass per true label {@code 0..C}: accuracy on its seconds, NaN for a label with none
 * @param secondsPerClass how many seconds each true label has
 * @param startError mean absolute start error (seconds)
 * @param endError mean absolute end error (seconds)
 */
public record SegmentMetrics(double accuracy, double[] perClass, int[] secondsPerClass, double startError,
        double endError) {
    /** {@code truth[clip][second]} and {@code predicted[clip][second]} with labels {@code 0..background}. */
    public static SegmentMetrics of(int[][] truth, int[][] predicted, int background) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true clips, " + predicted.length + " predicted");
        }
        long right = 0;
        long total = 0;
        int[] hits = new int[background + 1];
        int[] counts = new int[background + 1];
        double start = 0;
        double end = 0;
        for (int c = 0; c < truth.length; c++) {
            if (truth[c].length != predicted[c].length) {
                throw new IllegalArgumentException("clip " + c + ": " + truth[c].length + " true seconds, "
                        + predicted[c].length + " predicted");
            }
            for (int t = 0; t < truth[c].length; t++) {
                int y = truth[c][t];
                counts[y]++;
                total++;
                if (predicted[c][t] == y) {
                    right++;
                    hits[y]++;
                }
            }
            int[] a = span(truth[c], background);
            int[] b = span(predicted[c], background);
            start += Math.abs(a[0] - b[0]);
            end += Math.abs(a[1] - b[1]);
        }
        double[] per = new double[background + 1];
        for (int k = 0; k <= background; k++) {
            per[k] = counts[k] == 0 ? Double.NaN : (double) hits[k] / counts[k];
        }
        int n = Math.max(1, truth.length);
        return new SegmentMetrics(total == 0 ? 0 : (double) right / total, per, counts, start / n, end / n);
    }

    /**
     * Diagnostic: {@code predicted}'s event seconds relabelled with each clip's true class ({@code
     * classes[clip]}): what the labelling would score with a perfect clip classifier, so the rest of
     * its error is the event/background decision's.
     */
    public static int[][] withTrueClass(int[][] predicted, int[] classes, int background) {
        int[][] out = new int[predicted.length][];
        for (int c = 0; c < predicted.length; c++) {
            out[c] = new int[predicted[c].length];
            for (int t = 0; t < out[c].length; t++) {
                out[c][t] = predicted[c][t] == background ? background : classes[c];
            }
        }
        return out;
    }

    /**
     * Diagnostic: the true event seconds of {@code truth}, labelled with each clip's predicted class
     * ({@code classes[clip]}), background elsewhere: what a perfect event/background decision would
     * score with that clip classifier.
     */
    public static int[][] withTrueSeconds(int[][] truth, int[] classes, int background) {
        return withTrueClass(truth, classes, background);
    }

    /** {@code [first event second, last event second + 1]}, or {@code [0, 0]} without events. */
    static int[] span(int[] labels, int background) {
        int first = -1;
        int last = -1;
        for (int t = 0; t < labels.length; t++) {
            if (labels[t] != background) {
                if (first < 0) {
                    first = t;
                }
                last = t;
            }
        }
        return first < 0 ? new int[] {0, 0} : new int[] {first, last + 1};
    }

    /** Each second of a clip labelled with its class: the "class at every second" baseline. */
    public static int[][] everySecond(int[] clipClasses, int frames) {
        int[][] out = new int[clipClasses.length][frames];
        for (int c = 0; c < clipClasses.length; c++) {
            java.util.Arrays.fill(out[c], clipClasses[c]);
        }
        return out;
    }

    /** The intervals of one clip's labelling: maximal runs of one event label. */
    public static List<int[]> runs(int[] labels, int background) {
        List<int[]> out = new ArrayList<>();
        for (int t = 0; t < labels.length; ) {
            int l = labels[t];
            int u = t;
            while (u < labels.length && labels[u] == l) {
                u++;
            }
            if (l != background) {
                out.add(new int[] {t, u, l});
            }
            t = u;
        }
        return out;
    }
}
