package vidkit.localization;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import vidkit.core.Json;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.Split;
import vidkit.data.TaggingDataset;
import vidkit.tagging.TrainedTagger;

/**
 * Evaluates a localization run on its validation split (or all clips of other data): segment
 * accuracy (AVE's metric), per label, the clip class accuracy, the event-boundary errors, and the
 * baselines measured the same way on the same clips — the clip's class at every second (the
 * localizer's own clip head, and a tagging run when {@code baselineTagger} names one), and "always
 * event" with the true class (the ceiling of any labelling that never says background) — and two
 * oracle diagnostics that split the model's error: its event seconds with the true class (a perfect
 * clip classifier), and the true event seconds with its class (a perfect event/background decision). Writes
 * {@code evaluation.json} and {@code evaluation-timelines.json} (the true and predicted intervals
 * of {@value #TIMELINE_CLIPS} clips spread over the evaluated ones, for the report).
 */
public final class LocalizationEvaluation {
    /** Clips whose timelines the evaluation keeps for the report. */
    static final int TIMELINE_CLIPS = 8;
    public static final String TIMELINES = "evaluation-timelines.json";

    private LocalizationEvaluation() {}

    /** One label's accuracy on its seconds. */
    public record LabelAccuracy(int label, String name, int seconds, double accuracy) {}

    /** A baseline measured like the model. */
    public record Baseline(String name, double accuracy, double startError, double endError) {}

    /**
     * @param perLabel every label with seconds (background last), by accuracy, best first
     */
    public record Result(String data, String checkpoint, int clips, int seconds, double accuracy, double clipAccuracy,
            double eventAccuracy, double startError, double endError, List<LabelAccuracy> perLabel,
            List<Baseline> baselines) {}

    /** A clip's true and predicted intervals. */
    public record ClipTimeline(String id, List<ReportItem.Interval> truth, List<ReportItem.Interval> predicted) {}

    static double share(int[] predicted, int[] truth) {
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            right += predicted[i] == truth[i] ? 1 : 0;
        }
        return truth.length == 0 ? 0 : (double) right / truth.length;
    }

    /** Share of seconds whose event-vs-background decision is right. */
    static double presenceAccuracy(int[][] truth, int[][] predicted, int background) {
        long right = 0;
        long total = 0;
        for (int c = 0; c < truth.length; c++) {
            for (int t = 0; t < truth[c].length; t++) {
                right += (truth[c][t] == background) == (predicted[c][t] == background) ? 1 : 0;
                total++;
            }
        }
        return total == 0 ? 0 : (double) right / total;
    }

    public static Result evaluate(RunDirectory run, String dataSpec, PrintStream out) throws IOException {
        Path ckpt = run.inferenceCheckpoint();
        try (TrainedLocalizer localizer = TrainedLocalizer.load(ckpt)) {
            LocalizationConfig config = localizer.config();
            LocalizationState state = localizer.state();
            LocalizationTask.Clips clips;
            String name;
            if (dataSpec == null) {
                clips = LocalizationTask.Clips.load(config.dataPath(), state.classNames())
                        .select(Split.read(run.splitDir()).validation());
                name = config.data() + " (validation split)";
            } else {
                clips = LocalizationTask.Clips.load(Path.of(dataSpec), state.classNames());
                name = dataSpec;
            }
            TrainedLocalizer.Scores scores = localizer.score(clips.data().video(), clips.data().audio());
            int[][] predicted = scores.labels(config.model().eventThreshold());
            int bg = state.background();
            int frames = state.frames();
            SegmentMetrics m = SegmentMetrics.of(clips.targets(), predicted, bg);
            List<Baseline> baselines = new ArrayList<>();
            int[] own = scores.clipClasses();
            baselines.add(baseline("the localizer's clip class at every second", clips.targets(),
                    SegmentMetrics.everySecond(own, frames), bg));
            if (config.baselineTagger() != null) {
                RunDirectory taggerRun = RunDirectory.open(Path.of(config.baselineTagger()));
                try (TrainedTagger tagger = TrainedTagger.load(taggerRun.inferenceCheckpoint())) {
                    TaggingDataset d = TaggingDataset.load(clips.data().root().toString(), false, frames, null, false, out,
                            null).selectIds(clips.data().ids());
                    float[] logits = tagger.logits(d, false);
                    int k = logits.length / d.size();
                    int[] classes = new int[d.size()];
                    for (int i = 0; i < d.size(); i++) {
                        classes[i] = TrainedLocalizer.argmax(java.util.Arrays.copyOfRange(logits, i * k, (i + 1) * k));
                    }
                    baselines.add(baseline("tagger class at every second (" + taggerRun.path().getFileName() + ")",
                            clips.targets(), SegmentMetrics.everySecond(classes, frames), bg));
                }
            }
            baselines.add(baseline("always event, true class", clips.targets(),
                    SegmentMetrics.everySecond(clips.classes(), frames), bg));
            baselines.add(baseline("oracle: the localizer's seconds with the true class", clips.targets(),
                    SegmentMetrics.withTrueClass(predicted, clips.classes(), bg), bg));
            baselines.add(baseline("oracle: the true seconds with the localizer's class", clips.targets(),
                    SegmentMetrics.withTrueSeconds(clips.targets(), own, bg), bg));
            List<LabelAccuracy> perLabel = new ArrayList<>();
            for (int l = 0; l <= bg; l++) {
                if (m.secondsPerClass()[l] > 0) {
                    perLabel.add(new LabelAccuracy(l, state.name(l), m.secondsPerClass()[l], m.perClass()[l]));
                }
            }
            perLabel.sort(Comparator.comparingDouble(LabelAccuracy::accuracy).reversed());
            Result r = new Result(name, ckpt.toString(), clips.data().size(), clips.data().size() * frames, m.accuracy(),
                    share(own, clips.classes()), presenceAccuracy(clips.targets(), predicted, bg), m.startError(),
                    m.endError(), perLabel, baselines);
            AtomicFiles.writeString(run.evaluation(), Json.MAPPER.writeValueAsString(r));
            List<ClipTimeline> timelines = new ArrayList<>();
            int n = clips.data().size();
            int shown = Math.min(TIMELINE_CLIPS, n);
            for (int k = 0; k < shown; k++) {
                int c = (int) ((long) k * n / shown); // spread over the clips (ids are sorted by class)
                timelines.add(new ClipTimeline(clips.data().ids().get(c), intervals(clips.targets()[c], state),
                        intervals(predicted[c], state)));
            }
            AtomicFiles.writeString(run.path().resolve(TIMELINES), Json.MAPPER.writeValueAsString(timelines));
            print(r, out);
            out.printf("  written to %s%n", run.evaluation());
            return r;
        }
    }

    private static Baseline baseline(String name, int[][] truth, int[][] predicted, int bg) {
        SegmentMetrics m = SegmentMetrics.of(truth, predicted, bg);
        return new Baseline(name, m.accuracy(), m.startError(), m.endError());
    }

    static List<ReportItem.Interval> intervals(int[] labels, LocalizationState state) {
        List<ReportItem.Interval> out = new ArrayList<>();
        for (int[] run : SegmentMetrics.runs(labels, state.background())) {
            out.add(new ReportItem.Interval(run[0], run[1], state.name(run[2])));
        }
        return out;
    }

    static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "Event localization: %s, %d clips, %d one-second segments%n", r.data(), r.clips(),
                r.seconds());
        out.printf(Locale.ROOT, "  segment accuracy %.4f   clip class %.4f   event/background %.4f   boundary error: "
                + "start %.2f s, end %.2f s%n", r.accuracy(), r.clipAccuracy(), r.eventAccuracy(), r.startError(),
                r.endError());
        for (Baseline b : r.baselines()) {
            out.printf(Locale.ROOT, "  baseline %-58s segment accuracy %.4f   start %.2f s, end %.2f s%n", b.name(),
                    b.accuracy(), b.startError(), b.endError());
        }
        List<LabelAccuracy> l = r.perLabel();
        if (!l.isEmpty()) {
            out.printf(Locale.ROOT, "  best: %s %.3f, %s %.3f, %s %.3f; worst: %s %.3f, %s %.3f, %s %.3f%n",
                    l.get(0).name(), l.get(0).accuracy(), l.get(Math.min(1, l.size() - 1)).name(),
                    l.get(Math.min(1, l.size() - 1)).accuracy(), l.get(Math.min(2, l.size() - 1)).name(),
                    l.get(Math.min(2, l.size() - 1)).accuracy(), l.get(l.size() - 1).name(), l.get(l.size() - 1).accuracy(),
                    l.get(Math.max(0, l.size() - 2)).name(), l.get(Math.max(0, l.size() - 2)).accuracy(),
                    l.get(Math.max(0, l.size() - 3)).name(), l.get(Math.max(0, l.size() - 3)).accuracy());
        }
    }

    /** The report's sections: timelines of the first clips (true above predicted) and per-label accuracy bars. */
    static List<ReportItem> reportItems(RunDirectory run) throws IOException {
        List<ReportItem> items = new ArrayList<>();
        Path t = run.path().resolve(TIMELINES);
        if (Files.exists(t)) {
            ClipTimeline[] clips = Json.MAPPER.readValue(t.toFile(), ClipTimeline[].class);
            List<ReportItem.Track> tracks = new ArrayList<>();
            double length = 10;
            for (ClipTimeline c : clips) {
                tracks.add(new ReportItem.Track(c.id() + " true", c.truth()));
                tracks.add(new ReportItem.Track(c.id() + " predicted", c.predicted()));
                for (ReportItem.Interval i : c.truth()) {
                    length = Math.max(length, i.end());
                }
            }
            items.add(new ReportItem.Timeline("Timelines of " + clips.length
                    + " evaluated clips (true, then predicted)", tracks, length));
        }
        if (Files.exists(run.evaluation())) {
            Result r = Json.MAPPER.readValue(run.evaluation().toFile(), Result.class);
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (LabelAccuracy l : r.perLabel()) {
                String n = l.name().length() > 28 ? l.name().substring(0, 27) + "…" : l.name();
                names.add(names.contains(n) ? n + " (" + l.label() + ")" : n);
                values.add(l.accuracy());
            }
            items.add(new ReportItem.Bars("Segment accuracy per label", "label", "accuracy", names, values));
        }
        return items;
    }
}
