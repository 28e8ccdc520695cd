package vidkit.report;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.SyntheticPairs;
import vidkit.train.Trainer;
import vidkit.tagging.TaggingConfig;
import vidkit.matching.MatchingConfig;

class RunReportTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static final Pattern IMAGE = Pattern.compile("<h2>([^<]*)</h2>\\s*<img class=\"chart\" alt=\"([^\"]*)\" src=\"data:image/png;base64,([^\"]*)\">");

    /** Title → decoded image of every chart in the report. */
    static List<Object[]> charts(Path html) throws Exception {
        List<Object[]> out = new ArrayList<>();
        Matcher m = IMAGE.matcher(Files.readString(html));
        while (m.find()) {
            assertEquals(m.group(1), m.group(2), "the alt text is the title");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(3))));
            out.add(new Object[] {m.group(1), img});
        }
        return out;
    }

    static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    static void assertRendered(List<Object[]> charts, String... titles) {
        List<String> have = charts.stream().map(c -> (String) c[0]).toList();
        for (String t : titles) {
            assertTrue(have.stream().anyMatch(h -> h.startsWith(t)), "missing chart '" + t + "' in " + have);
        }
        for (Object[] c : charts) {
            BufferedImage img = (BufferedImage) c[1];
            assertNotNull(img, c[0] + " is not a PNG");
            assertTrue(img.getWidth() >= 300 && img.getHeight() >= 200, c[0] + " is too small");
            assertTrue(colours(img) > 10, c[0] + " looks empty");
        }
    }

    @Test
    void matchingRunReportHasCurvesHeatmapAndRankHistogram(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        SyntheticPairs.write(data, 120, 6, 16, 8, 6, 3);
        MatchingConfig config = MatchingConfig.load(null, List.of("type=matching", "data=" + data, "model.type=twotower", "model.hidden=16",
                "model.embedding=8", "epochs=3", "batchSize=32", "evaluation.draws=50", "evaluation.bootstrap=20"));
        var r = Trainer.train(config, Trainer.Options.of(dir.resolve("runs"), "test", QUIET));
        Path html = RunReport.write(r.run(), null);
        assertEquals(r.run().path().resolve(RunReport.FILE), html);
        String text = Files.readString(html);
        assertTrue(text.contains("<h2>Config</h2>") && text.contains("\"twotower\""), "config shown");
        assertTrue(text.contains("<h2>Provenance</h2>") && text.contains("gitCommit"), "provenance shown");
        assertRendered(charts(html), "Loss", "Validation metrics", "Learning rate", "Similarity of the first",
                "Rank of the true audio");
    }

    @Test
    void comparingRunsListsTheDifferingKeysAndOverlaysTheCurves(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        SyntheticPairs.write(data, 120, 6, 16, 8, 6, 3);
        List<vidkit.core.RunDirectory> runs = new ArrayList<>();
        for (String hidden : List.of("16", "24")) {
            MatchingConfig config = MatchingConfig.load(null, List.of("type=matching", "data=" + data, "model.type=twotower", "model.hidden=" + hidden,
                    "model.embedding=8", "epochs=2", "batchSize=32", "evaluation.draws=50", "evaluation.bootstrap=20"));
            runs.add(Trainer.train(config, Trainer.Options.of(dir.resolve("runs"), "test", QUIET)).run());
        }
        RunComparison.Result r = RunComparison.compare(runs);
        assertEquals(List.of("model.hidden"), r.differingKeys());
        String table = RunComparison.table(r);
        assertTrue(table.contains("model.hidden") && table.contains("final validation_mrr") && table.contains("evaluation top5"),
                table);
        Path html = RunComparison.writeHtml(runs, r, dir.resolve("cmp.html"));
        List<Object[]> charts = charts(html);
        assertRendered(charts, "train_loss", "validation_mrr", "learning_rate");
    }

    @Test
    void aveTaggingReportHasApBarsAndTheNamedConfusionMatrix(@TempDir Path dir) throws Exception {
        Path ave = Path.of(System.getProperty("vidkit.sharedData", "../shared/data")).resolve("std2022/train");
        TaggingConfig config = TaggingConfig.load(null, List.of("type=tagging", "data=" + ave,
                "model.classifier.type=logistic", "epochs=2", "batchSize=64", "optimizer.learningRate=0.003"));
        var r = Trainer.train(config, Trainer.Options.of(dir.resolve("runs"), "test", QUIET));
        Path html = RunReport.write(r.run(), dir.resolve("out/report.html"));
        String text = Files.readString(html);
        assertTrue(text.contains("accuracy"), "evaluation table");
        // metrics to 4 significant digits, not 0.9545627301129109
        var m = java.util.regex.Pattern.compile("<th>accuracy</th><td>([^<]*)</td>").matcher(text);
        assertTrue(m.find(), "accuracy row");
        assertTrue(m.group(1).matches("0\\.\\d{1,4}"), m.group(1));
        assertRendered(charts(html), "Loss", "Validation metrics", "Learning rate", "Per-class AP: the best 20",
                "Per-class AP: the worst 20", "Confusion matrix");

        // the same report in a real headless Chromium: every chart decoded and laid out under its title
        try (HeadlessChromium browser = new HeadlessChromium(1100, 1400)) {
            browser.open(html.toUri().toString());
            var shown = browser.execute("""
                    return Array.from(document.querySelectorAll('img.chart')).map(img => ({
                      title: img.previousElementSibling ? img.previousElementSibling.textContent : '',
                      alt: img.alt, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
                      shownWidth: img.getBoundingClientRect().width}));""");
            assertEquals(6, shown.size(), shown.toString());
            for (var img : shown) {
                assertTrue(img.path("complete").asBoolean() && img.path("width").asInt() >= 300
                        && img.path("shownWidth").asDouble() > 100, "not rendered: " + img);
                assertEquals(img.path("alt").asText(), img.path("title").asText());
            }
            assertEquals("Confusion matrix (rows true class, columns predicted)", shown.get(5).path("title").asText());
            byte[] png = browser.screenshot();
            Path shot = Path.of("target/report-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(1100, img.getWidth());
            assertTrue(colours(img) > 10, "the screenshot is blank");
        }
    }

    @Test
    void metricsAreShownToFourSignificantDigits() {
        assertEquals("0.9546", RunReport.significant(0.9545627301129109));
        assertEquals("12.35", RunReport.significant(12.3456));
        assertEquals("0.0001235", RunReport.significant(0.000123456));
        assertEquals("1235", RunReport.significant(1234.5));
        assertEquals("0", RunReport.significant(0));
        assertEquals("0.5", RunReport.significant(0.5));
    }

    @Test
    void aBarChartNamesEveryBar() throws Exception {
        // 20 long class names: every one must be drawn, none thinned out; checked by rendering with and without
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add("A rather long class name " + i);
            values.add(1.0 - i / 40.0);
        }
        var chart = RunReport.barChart(new vidkit.core.ReportItem.Bars("t", "class", "AP", names, values));
        assertEquals(20, chart.getStyler().getXAxisMaxLabelCount());
        // one bar (a tiny evaluation with one class that has positives) draws too
        var one = RunReport.barChart(new vidkit.core.ReportItem.Bars("t", "class", "AP", List.of("only"), List.of(0.5)));
        assertTrue(org.knowm.xchart.BitmapEncoder.getBitmapBytes(one, org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG).length > 0);
    }

    @Test
    void aRunWithoutMetricsIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"type\":\"matching\"}");
        var e = assertThrows(vidkit.data.InvalidDataException.class,
                () -> RunReport.write(vidkit.core.RunDirectory.open(dir), null));
        assertTrue(e.getMessage().contains("no metrics"), e.getMessage());
    }
}
