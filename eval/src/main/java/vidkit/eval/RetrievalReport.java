package vidkit.eval;

import java.util.Map;

/**
 * Everything {@link Retrieval#evaluate} measures.
 *
 * @param items N, the size of the evaluated set
 * @param subsetSize the course protocol's N (e.g. 50)
 * @param draws how many random subsets were averaged
 * @param subsetTopK mean top-k accuracy on the subsets, by k (1..5)
 * @param videoToAudio rows as queries
 * @param audioToVideo columns as queries
 */
public record RetrievalReport(int items, int subsetSize, int draws, Map<Integer, Double> subsetTopK,
        DirectionMetrics videoToAudio, DirectionMetrics audioToVideo) {

    /** A readable table for the terminal. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Course protocol: %d-way subsets, %d seeded draws%n", subsetSize, draws));
        sb.append("  ");
        for (var e : subsetTopK.entrySet()) {
            sb.append(String.format("top-%d %.4f   ", e.getKey(), e.getValue()));
        }
        sb.append(String.format("%nWhole set (N = %d), 95%% bootstrap intervals:%n", items));
        sb.append(String.format("  %-14s %-26s %-26s %-26s %-26s %s%n", "direction", "R@1", "R@5", "R@10",
                "median rank", "MRR"));
        row(sb, "video->audio", videoToAudio);
        row(sb, "audio->video", audioToVideo);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, DirectionMetrics m) {
        sb.append(String.format("  %-14s %-26s %-26s %-26s %-26s %s%n", name, m.recallAt1(), m.recallAt5(),
                m.recallAt10(), String.format("%.1f [%.1f, %.1f]", m.medianRank().value(), m.medianRank().low(),
                        m.medianRank().high()), m.meanReciprocalRank()));
    }
}
