package vidkit.localization;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.Csv;
import vidkit.data.PairedDataset;

/**
 * {@code vidkit predict} for localization: each clip's timeline — maximal runs of seconds holding
 * one event, {@code [start, end)} in seconds, with the class and a score (the clip class's
 * probability × the run's mean event probability) — as JSON ({@code [{"id", "intervals": [...]}]})
 * and CSV ({@code id,start_s,end_s,label,event,score}), each written atomically: the given file,
 * and its sibling with the other extension.
 */
public final class Timelines {
    private Timelines() {}

    /** One predicted interval. */
    public record Interval(int start, int end, int label, String event, double score) {}

    /** One clip's timeline. */
    public record Clip(String id, List<Interval> intervals) {}

    public static List<Clip> write(RunDirectory run, Path data, Path out, PrintStream log) throws IOException {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".json") || name.endsWith(".csv") ? name.substring(0, name.lastIndexOf('.')) : name;
        Path json = out.resolveSibling(stem + ".json");
        Path csv = out.resolveSibling(stem + ".csv");
        try (TrainedLocalizer localizer = TrainedLocalizer.load(run.inferenceCheckpoint())) {
            PairedDataset d = PairedDataset.load(data);
            TrainedLocalizer.Scores s = localizer.score(d.video(), d.audio());
            int[][] labels = s.labels(localizer.config().model().eventThreshold());
            LocalizationState state = localizer.state();
            List<Clip> clips = new ArrayList<>();
            StringBuilder table = new StringBuilder("id,start_s,end_s,label,event,score\n");
            for (int c = 0; c < d.size(); c++) {
                List<Interval> intervals = new ArrayList<>();
                for (int[] r : SegmentMetrics.runs(labels[c], state.background())) {
                    double event = 0;
                    for (int t = r[0]; t < r[1]; t++) {
                        event += s.event()[c][t];
                    }
                    double score = s.classes()[c][r[2]] * event / (r[1] - r[0]);
                    intervals.add(new Interval(r[0], r[1], r[2], state.name(r[2]), score));
                    table.append(Csv.quote(d.ids().get(c))).append(',').append(r[0]).append(',').append(r[1]).append(',')
                            .append(r[2]).append(',').append(Csv.quote(state.name(r[2]))).append(',')
                            .append(String.format(java.util.Locale.ROOT, "%.4f", score)).append('\n');
                }
                clips.add(new Clip(d.ids().get(c), intervals));
            }
            AtomicFiles.writeString(json, Json.MAPPER.writeValueAsString(clips));
            AtomicFiles.writeString(csv, table.toString());
            log.printf("timelines of %d clips written to %s and %s%n", d.size(), json, csv);
            return clips;
        }
    }
}
