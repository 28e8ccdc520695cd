package vidkit.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import vidkit.data.AtomicFiles;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.train.Json;
import vidkit.train.RunDirectory;

/**
 * One self-contained HTML report of a run ({@code report.html} in the run directory by default):
 * loss, validation-metric and learning-rate curves per epoch, the config and provenance, and the
 * task's evaluation charts — for matching, a heatmap of the similarity matrix of the first 30
 * evaluated clips and the histogram of the true audios' ranks; for tagging, the per-class AP of the
 * best and worst 20 classes and, on single-label data, the confusion matrix with class names.
 * Charts are XChart PNGs embedded as data URIs, each under an {@code <h2>} of its title and with
 * that title as its {@code alt} text.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    static final int HEATMAP_CLIPS = 30;
    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;

    private RunReport() {}

    /** A chart's title and PNG bytes. */
    public record Figure(String title, byte[] png) {}

    /** Writes the report (atomically) and returns its path. */
    public static Path write(RunDirectory run, Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path target = out != null ? out : run.path().resolve(FILE);
        String task = run.task();
        Metrics metrics = Metrics.read(run.metrics());
        List<Figure> figures = new ArrayList<>();
        figures.add(curves("Loss", "loss", metrics, metrics.columnsMatching("loss")));
        figures.add(curves("Validation metrics", "metric", metrics, task.equals("tagging")
                ? List.of("validation_gap", "validation_map", "validation_hit1", "validation_perr")
                : List.of("validation_mrr", "validation_top1", "validation_top5")));
        figures.add(curves("Learning rate", "learning rate", metrics, List.of("learning_rate")));
        JsonNode evaluation = Files.exists(run.evaluation()) ? Json.MAPPER.readTree(run.evaluation().toFile()) : null;
        if (task.equals("tagging") && evaluation != null) {
            figures.addAll(taggingFigures(evaluation));
        } else if (task.equals("matching")) {
            figures.addAll(matchingFigures(run));
        }
        String html = html(run, task, figures, evaluation);
        AtomicFiles.writeString(target, html);
        return target;
    }

    /** The per-epoch columns of metrics.csv. */
    public record Metrics(List<String> names, Map<String, double[]> columns) {
        public static Metrics read(Path csv) throws IOException {
            if (!Files.exists(csv)) {
                throw new InvalidDataException(csv, "the run has no metrics yet");
            }
            List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
            List<String> names = List.of(lines.get(0).split(","));
            Map<String, double[]> columns = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                double[] v = new double[lines.size() - 1];
                for (int r = 1; r < lines.size(); r++) {
                    String[] f = lines.get(r).split(",");
                    try {
                        v[r - 1] = Double.parseDouble(f[c]);
                    } catch (RuntimeException e) {
                        throw new InvalidDataException(csv, "line " + (r + 1) + ", column " + names.get(c) + ": not a number");
                    }
                }
                columns.put(names.get(c), v);
            }
            return new Metrics(names, columns);
        }

        List<String> columnsMatching(String suffix) {
            return names.stream().filter(n -> n.endsWith(suffix)).toList();
        }
    }

    static Figure curves(String title, String yTitle, Metrics m, List<String> columns) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle(yTitle)
                .build();
        double[] epochs = m.columns().get("epoch");
        int series = 0;
        for (String c : columns) {
            double[] y = m.columns().get(c);
            if (y != null && y.length > 0) {
                chart.addSeries(c, epochs, y);
                series++;
            }
        }
        if (series == 0) {
            chart.addSeries("(no data)", new double[] {0}, new double[] {0});
        }
        return figure(title, chart);
    }

    public static Figure figure(String title, Chart<?, ?> chart) throws IOException {
        return new Figure(title, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static List<Figure> matchingFigures(RunDirectory run) throws IOException {
        Path npy = run.path().resolve(RunDirectory.EVALUATION_MATRIX);
        if (!Files.exists(npy)) {
            return List.of();
        }
        NpyArray s = Npy.read(npy);
        int n = s.shape()[0];
        int m = s.shape()[1];
        float[] v = s.asFloats();
        List<Figure> out = new ArrayList<>();
        int k = Math.min(HEATMAP_CLIPS, Math.min(n, m));
        List<Integer> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            xs.add(i);
            ys.add(i);
        }
        List<Number[]> heat = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                heat.add(new Number[] {c, r, v[r * m + c]});
            }
        }
        String heatTitle = "Similarity of the first " + k + " evaluated clips (rows videos, columns audios)";
        HeatMapChart h = new HeatMapChartBuilder().width(WIDTH).height(WIDTH).title(heatTitle).xAxisTitle("audio")
                .yAxisTitle("video").build();
        h.addSeries("similarity", xs, ys, heat);
        out.add(figure(heatTitle, h));
        // ranks of each video's true audio (the diagonal), ties counted against it
        String[] bins = {"1", "2-5", "6-10", "11-20", "21-50", "51-100", ">100"};
        int[] upper = {1, 5, 10, 20, 50, 100, Integer.MAX_VALUE};
        double[] counts = new double[bins.length];
        for (int r = 0; r < Math.min(n, m); r++) {
            float t = v[r * m + r];
            int rank = 1;
            for (int c = 0; c < m; c++) {
                if (c != r && v[r * m + c] >= t) {
                    rank++;
                }
            }
            for (int b = 0; b < bins.length; b++) {
                if (rank <= upper[b]) {
                    counts[b]++;
                    break;
                }
            }
        }
        String rankTitle = "Rank of the true audio among all " + m + " (video to audio)";
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(rankTitle).xAxisTitle("rank")
                .yAxisTitle("videos").build();
        c.addSeries("videos", List.of(bins), toList(counts));
        out.add(figure(rankTitle, c));
        return out;
    }

    private static List<Figure> taggingFigures(JsonNode e) throws IOException {
        List<Figure> out = new ArrayList<>();
        List<JsonNode> classes = new ArrayList<>();
        e.path("perClass").forEach(classes::add);
        classes.sort((a, b) -> Double.compare(b.path("ap").asDouble(), a.path("ap").asDouble()));
        if (!classes.isEmpty()) {
            int k = Math.min(20, classes.size());
            out.add(apBars("Per-class AP: the best " + k + " classes", classes.subList(0, k)));
            out.add(apBars("Per-class AP: the worst " + k + " classes", classes.subList(classes.size() - k, classes.size())));
        }
        JsonNode confusion = e.path("confusion");
        if (confusion.isArray() && confusion.size() > 0) {
            int n = confusion.size();
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = "class " + i;
            }
            for (JsonNode c : e.path("perClass")) {
                names[c.path("index").asInt()] = c.path("name").asText();
            }
            List<String> labels = new ArrayList<>(List.of(names));
            List<Number[]> heat = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                for (int p = 0; p < n; p++) {
                    heat.add(new Number[] {p, t, confusion.get(t).get(p).asInt()});
                }
            }
            String title = "Confusion matrix (rows true class, columns predicted)";
            HeatMapChart h = new HeatMapChartBuilder().width(1000).height(1000).title(title).xAxisTitle("predicted")
                    .yAxisTitle("true").build();
            h.getStyler().setXAxisLabelRotation(90);
            h.addSeries("videos", labels, labels, heat);
            out.add(figure(title, h));
        }
        return out;
    }

    private static Figure apBars(String title, List<JsonNode> classes) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 160).title(title).yAxisTitle("AP").build();
        c.getStyler().setXAxisLabelRotation(70);
        c.getStyler().setLegendVisible(false);
        List<String> names = new ArrayList<>();
        List<Double> ap = new ArrayList<>();
        for (JsonNode n : classes) {
            String name = n.path("name").asText();
            names.add(name.length() > 28 ? name.substring(0, 27) + "…" : name);
            ap.add(n.path("ap").asDouble());
        }
        // category names must be unique
        for (int i = 0; i < names.size(); i++) {
            if (names.subList(0, i).contains(names.get(i))) {
                names.set(i, names.get(i) + " (" + i + ")");
            }
        }
        c.addSeries("AP", names, ap);
        return figure(title, c);
    }

    private static List<Double> toList(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    /** Escapes text for element content and double-quoted attributes. */
    private static String escape(String s) {
        return escapeText(s).replace("\"", "&quot;");
    }

    private static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String html(RunDirectory run, String task, List<Figure> figures, JsonNode evaluation) throws IOException {
        StringBuilder b = new StringBuilder();
        String name = run.path().toAbsolutePath().normalize().getFileName().toString();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vidkit run ")
                .append(escape(name)).append("</title>\n<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;"
                        + "color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}img{max-width:100%;"
                        + "border:1px solid #ddd}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
                        + "</style></head><body>\n");
        b.append("<h1>vidkit run ").append(escape(name)).append("</h1>\n<p>Task: <b>").append(escape(task))
                .append("</b>. Directory: <code>").append(escape(run.path().toAbsolutePath().normalize().toString()))
                .append("</code></p>\n");
        if (evaluation != null) {
            b.append("<h2>Evaluation</h2>\n<table>");
            evaluation.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber() || f.getValue().isTextual()) {
                    b.append("<tr><th>").append(escape(f.getKey())).append("</th><td>").append(escape(f.getValue().asText()))
                            .append("</td></tr>");
                }
            });
            b.append("</table>\n");
        }
        for (Figure f : figures) {
            b.append("<h2>").append(escape(f.title())).append("</h2>\n<img class=\"chart\" alt=\"").append(escape(f.title()))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(f.png()))
                    .append("\">\n");
        }
        b.append("<h2>Config</h2>\n<pre>").append(escapeText(Files.readString(run.config(), StandardCharsets.UTF_8)))
                .append("</pre>\n");
        if (Files.exists(run.provenance())) {
            b.append("<h2>Provenance</h2>\n<pre>").append(escapeText(Files.readString(run.provenance(), StandardCharsets.UTF_8)))
                    .append("</pre>\n");
        }
        b.append(String.format(Locale.ROOT, "<p><small>%d charts, written by vidkit.</small></p>%n", figures.size()));
        b.append("</body></html>\n");
        return b.toString();
    }
}
