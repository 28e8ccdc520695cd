package vidkit.tagging;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vidkit.core.Json;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.Split;
import vidkit.data.TaggingDataset;
import vidkit.eval.TaggingMetrics;

/**
 * Evaluates a tagging run on its validation split (or other data): the official YouTube-8M metrics
 * (GAP@20, mAP, Hit@1, PERR) and per-class AP; on single-label data also accuracy and the confusion
 * matrix. Writes {@code evaluation.json} (and {@code evaluation-confusion.csv}) into the run.
 */
public final class TaggingEvaluation {
    private TaggingEvaluation() {}

    /** One class's AP on the evaluated videos. */
    public record ClassAp(int index, String name, int positives, double ap) {}

    /**
     * @param confusion {@code [true][predicted]} counts (single-label data), else {@code null}
     */
    public record Result(String data, String checkpoint, int videos, int classes, double gap, double meanAveragePrecision,
            double hitAtOne, double perr, Double accuracy, List<ClassAp> perClass, int[][] confusion) {}

    /** Scores and metrics of {@code logits} for {@code data}'s labels. */
    static Result of(String dataName, String checkpoint, TaggingDataset data, float[] logits) {
        TaggingMetrics m = new TaggingMetrics(logits, data.classes(), data.labels());
        double[] ap = m.perClassAveragePrecision();
        int[] positives = new int[data.classes()];
        for (int[] ls : data.labels()) {
            for (int l : ls) {
                positives[l]++;
            }
        }
        List<ClassAp> perClass = new ArrayList<>();
        for (int c = 0; c < ap.length; c++) {
            if (!Double.isNaN(ap[c])) {
                perClass.add(new ClassAp(c, data.vocabulary().name(c), positives[c], ap[c]));
            }
        }
        int[][] confusion = null;
        Double accuracy = null;
        if (data.singleLabel()) {
            confusion = new int[data.classes()][data.classes()];
            int correct = 0;
            for (int v = 0; v < data.size(); v++) {
                int predicted = m.topClasses(v, 1)[0];
                int truth = data.labels()[v][0];
                confusion[truth][predicted]++;
                if (predicted == truth) {
                    correct++;
                }
            }
            accuracy = data.size() == 0 ? 0 : (double) correct / data.size();
        }
        TaggingMetrics.Summary s = m.summary();
        return new Result(dataName, checkpoint, data.size(), data.classes(), s.gap(), s.meanAveragePrecision(),
                s.hitAtOne(), s.perr(), accuracy, perClass, confusion);
    }

    /** Evaluates {@code run}'s inference checkpoint on {@code dataSpec}, or on its validation split when null. */
    public static Result evaluate(RunDirectory run, String dataSpec, PrintStream out) throws IOException {
        Path ckpt = run.inferenceCheckpoint();
        try (TrainedTagger tagger = TrainedTagger.load(ckpt)) {
            TaggingConfig config = tagger.config();
            TaggingDataset data;
            String name;
            if (dataSpec == null) {
                TaggingDataset all = TaggingTask.loadData(config, out);
                data = all.selectIds(Split.read(run.splitDir()).validation());
                name = config.data() + " (validation split)";
            } else {
                data = TaggingTask.loadData(config.withData(dataSpec), out);
                name = dataSpec;
            }
            Result r = of(name, ckpt.toString(), data, tagger.logits(data));
            AtomicFiles.writeString(run.evaluation(), Json.MAPPER.writeValueAsString(r));
            if (r.confusion() != null) {
                StringBuilder csv = new StringBuilder("true\\predicted");
                for (int c = 0; c < r.classes(); c++) {
                    csv.append(',').append(vidkit.data.Csv.quote(data.vocabulary().name(c)));
                }
                csv.append('\n');
                for (int t = 0; t < r.classes(); t++) {
                    csv.append(vidkit.data.Csv.quote(data.vocabulary().name(t)));
                    for (int p = 0; p < r.classes(); p++) {
                        csv.append(',').append(r.confusion()[t][p]);
                    }
                    csv.append('\n');
                }
                AtomicFiles.writeString(run.path().resolve("evaluation-confusion.csv"), csv.toString());
            }
            print(r, out);
            out.printf("  written to %s%n", run.evaluation());
            return r;
        }
    }

    static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "Tagging evaluation: %s, %d videos, %d classes%n", r.data(), r.videos(), r.classes());
        out.printf(Locale.ROOT, "  GAP@20 %.4f   mAP %.4f   Hit@1 %.4f   PERR %.4f%s%n", r.gap(), r.meanAveragePrecision(),
                r.hitAtOne(), r.perr(), r.accuracy() == null ? "" : String.format(Locale.ROOT, "   accuracy %.4f", r.accuracy()));
        if (r.confusion() != null) {
            Map<String, Integer> confusions = new LinkedHashMap<>();
            List<int[]> cells = new ArrayList<>();
            for (int t = 0; t < r.classes(); t++) {
                for (int p = 0; p < r.classes(); p++) {
                    if (t != p && r.confusion()[t][p] > 0) {
                        cells.add(new int[] {t, p, r.confusion()[t][p]});
                    }
                }
            }
            cells.sort((a, b) -> b[2] - a[2]);
            String[] names = new String[r.classes()];
            for (ClassAp c : r.perClass()) {
                names[c.index()] = c.name();
            }
            for (int[] c : cells.subList(0, Math.min(5, cells.size()))) {
                confusions.put(nameOf(names, c[0]) + " → " + nameOf(names, c[1]), c[2]);
            }
            if (!confusions.isEmpty()) {
                out.println("  most frequent confusions (true → predicted: count): " + confusions);
            }
        }
    }

    private static String nameOf(String[] names, int c) {
        return names[c] == null ? "class " + c : names[c];
    }

    /**
     * The tagging sections of a run's report, from its {@code evaluation.json}: the per-class AP of
     * the best and the worst 20 classes (each bar named) and, on single-label data, the confusion
     * matrix with class names.
     */
    static List<ReportItem> reportItems(RunDirectory run) throws IOException {
        if (!java.nio.file.Files.exists(run.evaluation())) {
            return List.of();
        }
        Result e = Json.MAPPER.readValue(run.evaluation().toFile(), Result.class);
        List<ReportItem> out = new ArrayList<>();
        List<ClassAp> classes = new ArrayList<>(e.perClass());
        classes.sort((a, b) -> Double.compare(b.ap(), a.ap()));
        if (!classes.isEmpty()) {
            int k = Math.min(20, classes.size());
            out.add(apBars("Per-class AP: the best " + k + " classes", classes.subList(0, k)));
            out.add(apBars("Per-class AP: the worst " + k + " classes", classes.subList(classes.size() - k, classes.size())));
        }
        if (e.confusion() != null && e.confusion().length > 0) {
            int n = e.confusion().length;
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = "class " + i;
            }
            for (ClassAp c : e.perClass()) {
                names[c.index()] = c.name();
            }
            double[][] values = new double[n][n];
            for (int t = 0; t < n; t++) {
                for (int p = 0; p < n; p++) {
                    values[t][p] = e.confusion()[t][p];
                }
            }
            out.add(new ReportItem.HeatMap("Confusion matrix (rows true class, columns predicted)", "predicted", "true",
                    List.of(names), List.of(names), values));
        }
        return out;
    }

    private static ReportItem apBars(String title, List<ClassAp> classes) {
        List<String> names = new ArrayList<>();
        List<Double> ap = new ArrayList<>();
        for (ClassAp c : classes) {
            String name = c.name().length() > 28 ? c.name().substring(0, 27) + "…" : c.name();
            // category names must be unique
            names.add(names.contains(name) ? name + " (" + c.index() + ")" : name);
            ap.add(c.ap());
        }
        return new ReportItem.Bars(title, "class", "AP", names, ap);
    }
}
