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
import vidkit.core.Json;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.core.Task;
import vidkit.core.TaskRegistry;

/**
 * One self-contained HTML report of a run ({@code report.html} in the run directory by default):
 * loss, validation-metric and learning-rate curves per epoch, the config and provenance, and the
 * charts the run's task contributes ({@link Task#reportItems}: heat maps, bar charts, timelines,
 * drawn here). Charts are XChart PNGs embedded as data URIs, each under an {@code <h2>} of its
 * title and with that title as its {@code alt} text; metrics show 4 significant digits.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;

    private RunReport() {}

    /** A chart's title and PNG bytes. */
    public record Figure(String title, byte[] png) {}

    /** Writes the report (atomically) and returns its path. */
    public static Path write(RunDirectory run, Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path target = out != null ? out : run.path().resolve(FILE);
        Task<?, ?> task = TaskRegistry.forRun(run);
        Metrics metrics = Metrics.read(run.metrics());
        List<Figure> figures = new ArrayList<>();
        figures.add(curves("Loss", "loss", metrics, metrics.columnsMatching("loss")));
        figures.add(curves("Validation metrics", "metric", metrics, metrics.names().stream()
                .filter(n -> n.startsWith("validation_") && !n.endsWith("loss")).toList()));
        figures.add(curves("Learning rate", "learning rate", metrics, List.of("learning_rate")));
        for (ReportItem item : task.reportItems(run)) {
            figures.add(draw(item));
        }
        JsonNode evaluation = Files.exists(run.evaluation()) ? Json.MAPPER.readTree(run.evaluation().toFile()) : null;
        String html = html(run, task.type(), figures, evaluation);
        AtomicFiles.writeString(target, html);
        return target;
    }

    /** Draws a task's chart. */
    static Figure draw(ReportItem item) throws IOException {
        return switch (item) {
            case ReportItem.HeatMap h -> heatMap(h);
            case ReportItem.Bars b -> bars(b);
            case ReportItem.Timeline t -> timeline(t);
        };
    }

    private static Figure heatMap(ReportItem.HeatMap h) throws IOException {
        int n = h.rowLabels().size();
        int size = Math.max(WIDTH, Math.min(1000, 26 * n + 200));
        HeatMapChart c = new HeatMapChartBuilder().width(size).height(size).title(h.title()).xAxisTitle(h.columnTitle())
                .yAxisTitle(h.rowTitle()).build();
        if (h.columnLabels().stream().anyMatch(l -> l.length() > 3)) {
            c.getStyler().setXAxisLabelRotation(90);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < h.columnLabels().size(); col++) {
                cells.add(new Number[] {col, r, h.values()[r][col]});
            }
        }
        c.addSeries(h.rowTitle(), h.columnLabels(), h.rowLabels(), cells);
        return figure(h.title(), c);
    }

    private static Figure bars(ReportItem.Bars b) throws IOException {
        return figure(b.title(), barChart(b));
    }

    /** The bar chart of {@code b}, every category labelled. */
    static CategoryChart barChart(ReportItem.Bars b) {
        boolean longNames = b.categories().stream().anyMatch(l -> l.length() > 6);
        CategoryChart c = new CategoryChartBuilder().width(Math.max(WIDTH, 40 * b.categories().size()))
                .height(HEIGHT + (longNames ? 200 : 0)).title(b.title()).xAxisTitle(b.categoryTitle())
                .yAxisTitle(b.valueTitle()).build();
        c.getStyler().setLegendVisible(false);
        if (longNames) {
            c.getStyler().setXAxisLabelRotation(70);
        }
        // every bar gets its name: no label thinning (XChart refuses a maximum of 1; one bar is never thinned)
        if (b.categories().size() > 1) {
            c.getStyler().setXAxisMaxLabelCount(b.categories().size());
        }
        c.addSeries(b.valueTitle(), b.categories(), b.values());
        return c;
    }

    /** Each track a row of coloured bands, one series per label (so the legend names the classes). */
    private static Figure timeline(ReportItem.Timeline t) throws IOException {
        XYChart c = new XYChartBuilder().width(WIDTH + 200).height(Math.max(200, 100 + 40 * t.tracks().size())).title(t.title())
                .xAxisTitle("second").yAxisTitle("").build();
        c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(t.length());
        c.getStyler().setYAxisMin(-0.5);
        c.getStyler().setYAxisMax(t.tracks().size() - 0.5);
        // one tick per track (rows are 50 px apart), each labelled with its track's name
        c.getStyler().setYAxisTickMarkSpacingHint(30);
        c.getStyler().setYAxisLabelAlignment(org.knowm.xchart.style.AxesChartStyler.TextAlignment.Right);
        Map<String, List<double[]>> byLabel = new LinkedHashMap<>();
        for (int row = 0; row < t.tracks().size(); row++) {
            double y = t.tracks().size() - 1 - row;
            for (ReportItem.Interval i : t.tracks().get(row).intervals()) {
                byLabel.computeIfAbsent(i.label(), k -> new ArrayList<>()).add(new double[] {i.start(), i.end(), y});
            }
        }
        for (var e : byLabel.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (double[] seg : e.getValue()) {
                xs.add(seg[0]);
                ys.add(seg[2]);
                xs.add(seg[1]);
                ys.add(seg[2]);
                xs.add(Double.NaN);
                ys.add(Double.NaN);
            }
            var series = c.addSeries(e.getKey(), xs, ys);
            series.setLineWidth(14f);
        }
        List<String> names = new ArrayList<>();
        for (ReportItem.Track track : t.tracks()) {
            names.add(track.name());
        }
        c.setCustomYAxisTickLabelsFormatter(v -> {
            int row = t.tracks().size() - 1 - (int) Math.round(v);
            return row >= 0 && row < names.size() && Math.abs(v - Math.round(v)) < 1e-9 ? names.get(row) : "";
        });
        return figure(t.title(), c);
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

    /** A metric as shown: integers as they are, other numbers to 4 significant digits, text as it is. */
    static String formatValue(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            return significant(v.asDouble());
        }
        return v.asText();
    }

    /** {@code x} to 4 significant digits, without an exponent for ordinary magnitudes (0.9546, 12.35, 1235). */
    static String significant(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return x == 0 ? "0" : Double.toString(x);
        }
        java.math.BigDecimal d = new java.math.BigDecimal(x).round(new java.math.MathContext(4));
        double abs = Math.abs(x);
        return abs >= 1e-4 && abs < 1e7 ? d.stripTrailingZeros().toPlainString() : d.toString();
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
                    b.append("<tr><th>").append(escape(f.getKey())).append("</th><td>")
                            .append(escape(formatValue(f.getValue()))).append("</td></tr>");
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
