package vidkit.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import vidkit.data.AtomicFiles;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import vidkit.core.TaskRegistry;

/**
 * Compares runs: the config keys (flattened, {@code model.hidden}) whose values differ between
 * them, each run's final epoch metrics and the headline evaluation numbers its task names ({@link
 * vidkit.core.Task#headline}); as text, or as HTML with
 * each metrics column's curves of all runs overlaid.
 */
public final class RunComparison {
    private RunComparison() {}

    /** One run's name, flattened config, last metrics line and evaluation headline. */
    public record Entry(String name, Map<String, String> config, Map<String, String> finalMetrics,
            Map<String, String> evaluation) {}

    /** The runs and the config keys that differ. */
    public record Result(List<Entry> runs, List<String> differingKeys) {}

    public static Result compare(List<RunDirectory> runs) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (RunDirectory run : runs) {
            Map<String, String> config = new LinkedHashMap<>();
            flatten("", Json.MAPPER.readTree(run.config().toFile()), config);
            Map<String, String> last = new LinkedHashMap<>();
            if (Files.exists(run.metrics())) {
                List<String> lines = Files.readAllLines(run.metrics()).stream().filter(l -> !l.isBlank()).toList();
                if (lines.size() > 1) {
                    String[] names = lines.get(0).split(",");
                    String[] values = lines.get(lines.size() - 1).split(",");
                    for (int i = 0; i < names.length && i < values.length; i++) {
                        last.put(names[i], values[i]);
                    }
                }
            }
            Map<String, String> evaluation = new LinkedHashMap<>();
            for (var h : TaskRegistry.forRun(run).headline(run).entrySet()) {
                evaluation.put(h.getKey(), RunReport.significant(h.getValue()));
            }
            entries.add(new Entry(run.path().getFileName().toString(), config, last, evaluation));
        }
        Set<String> keys = new LinkedHashSet<>();
        entries.forEach(e -> keys.addAll(e.config().keySet()));
        List<String> differing = new ArrayList<>();
        for (String k : keys) {
            String first = entries.get(0).config().get(k);
            if (entries.stream().anyMatch(e -> !Objects.equals(first, e.config().get(k)))) {
                differing.add(k);
            }
        }
        return new Result(entries, differing);
    }

    static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out));
        } else {
            out.put(prefix, node.isTextual() ? node.asText() : node.toString());
        }
    }

    /** A plain-text table: differing config keys, then final metrics and evaluation. */
    public static String table(Result r) {
        List<String> rows = new ArrayList<>(r.differingKeys());
        Set<String> metricKeys = new LinkedHashSet<>();
        r.runs().forEach(e -> metricKeys.addAll(e.finalMetrics().keySet()));
        Set<String> evalKeys = new LinkedHashSet<>();
        r.runs().forEach(e -> evalKeys.addAll(e.evaluation().keySet()));
        StringBuilder b = new StringBuilder();
        int w = 26;
        for (String k : rows) {
            w = Math.max(w, k.length() + 2);
        }
        for (String k : metricKeys) {
            w = Math.max(w, k.length() + 8);
        }
        for (String k : evalKeys) {
            w = Math.max(w, k.length() + 13);
        }
        b.append(String.format("%-" + w + "s", "run"));
        for (Entry e : r.runs()) {
            b.append(String.format(" %-28s", e.name()));
        }
        b.append('\n');
        if (rows.isEmpty()) {
            b.append("(the configs are identical)\n");
        }
        for (String k : rows) {
            line(b, w, k, r.runs().stream().map(e -> e.config().getOrDefault(k, "-")).toList());
        }
        for (String k : metricKeys) {
            line(b, w, "final " + k, r.runs().stream().map(e -> e.finalMetrics().getOrDefault(k, "-")).toList());
        }
        for (String k : evalKeys) {
            line(b, w, "evaluation " + k, r.runs().stream().map(e -> e.evaluation().getOrDefault(k, "-")).toList());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, int w, String key, List<String> values) {
        b.append(String.format("%-" + w + "s", key));
        for (String v : values) {
            b.append(String.format(" %-28s", v.length() > 28 ? v.substring(0, 27) + "…" : v));
        }
        b.append('\n');
    }

    /** The table and every shared metrics column's curves overlaid, as one HTML file. */
    public static Path writeHtml(List<RunDirectory> runs, Result r, Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<RunReport.Metrics> metrics = new ArrayList<>();
        for (RunDirectory run : runs) {
            metrics.add(RunReport.Metrics.read(run.metrics()));
        }
        Set<String> columns = new LinkedHashSet<>(metrics.get(0).names());
        for (RunReport.Metrics m : metrics) {
            columns.retainAll(m.names());
        }
        columns.remove("epoch");
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>vidkit runs compared</title><style>body{font-family:sans-serif;max-width:1040px;margin:2em auto}"
                + "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}img{max-width:100%}</style></head><body>\n"
                + "<h1>vidkit runs compared</h1>\n<pre>");
        b.append(table(r).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("</pre>\n");
        for (String c : columns) {
            XYChart chart = new XYChartBuilder().width(760).height(380).title(c).xAxisTitle("epoch").yAxisTitle(c).build();
            for (int i = 0; i < runs.size(); i++) {
                double[] y = metrics.get(i).columns().get(c);
                if (y.length > 0) {
                    chart.addSeries(r.runs().get(i).name() + (i > 0 && r.runs().get(i).name().equals(r.runs().get(0).name())
                            ? " (" + i + ")" : ""), metrics.get(i).columns().get("epoch"), y);
                }
            }
            RunReport.Figure f = RunReport.figure(c, chart);
            b.append("<h2>").append(c).append("</h2>\n<img class=\"chart\" alt=\"").append(c)
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(f.png())).append("\">\n");
        }
        b.append("</body></html>\n");
        AtomicFiles.writeString(out, b.toString());
        return out;
    }
}
