package vidkit.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import vidkit.data.Npy;
import vidkit.data.NpyArray;

class TaggingMetricsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/yt8m-metrics");

    @Test
    void agreesWithTheNumpyTranscriptionOfTheOfficialEvaluation() throws Exception {
        // tools/yt8m_metrics_golden.py: the starter code's algorithms in numpy, on seeded scores without ties
        NpyArray scores = Npy.read(GOLDEN.resolve("scores.npy"));
        NpyArray labels = Npy.read(GOLDEN.resolve("labels.npy"));
        JsonNode golden = new ObjectMapper().readTree(GOLDEN.resolve("golden.json").toFile());
        int videos = scores.shape()[0];
        int classes = scores.shape()[1];
        float[] dense = labels.asFloats();
        int[][] sets = new int[videos][];
        for (int v = 0; v < videos; v++) {
            List<Integer> l = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                if (dense[v * classes + c] > 0) {
                    l.add(c);
                }
            }
            sets[v] = l.stream().mapToInt(Integer::intValue).toArray();
        }
        TaggingMetrics m = new TaggingMetrics(scores.asFloats(), classes, sets);
        assertEquals(golden.get("gap20").asDouble(), m.globalAveragePrecision(20), 1e-12);
        assertEquals(golden.get("gap5").asDouble(), m.globalAveragePrecision(5), 1e-12);
        assertEquals(golden.get("map").asDouble(), m.meanAveragePrecision(), 1e-12);
        assertEquals(golden.get("map_all_classes").asDouble(), m.meanAveragePrecisionAllClasses(), 1e-12);
        assertEquals(golden.get("hit_at_one").asDouble(), m.hitAtOne(), 1e-12);
        assertEquals(golden.get("perr").asDouble(), m.precisionAtEqualRecallRate(), 1e-12);
        double[] ap = m.perClassAveragePrecision();
        for (int c = 0; c < 5; c++) {
            double g = golden.get("per_class_ap_first5").get(c).asDouble();
            if (g < 0) {
                assertTrue(Double.isNaN(ap[c]));
            } else {
                assertEquals(g, ap[c], 1e-12);
            }
        }
    }

    @Test
    void handWorkedExampleWithTiesAndPositivesOutsideTheTopK() {
        // 2 videos, 3 classes, top k = 1.
        // video 0: scores (0.9, 0.5, 0.5), labels {1}; video 1: scores (0.2, 0.9, 0.1), labels {1, 2}
        float[] s = {0.9f, 0.5f, 0.5f, 0.2f, 0.9f, 0.1f};
        int[][] labels = {{1}, {1, 2}};
        TaggingMetrics m = new TaggingMetrics(s, 3, labels);
        // top-1 lists: (0.9, neg) and (0.9, pos); tie -> negative first: ranks neg, pos
        // AP = (1/2) / 3 positives in total = 1/6
        assertEquals(1.0 / 6, m.globalAveragePrecision(1), 1e-12);
        // Hit@1: video 0 top is class 0 (miss), video 1 top is class 1 (hit) -> 0.5
        assertEquals(0.5, m.hitAtOne(), 1e-12);
        // PERR: video 0 top 1 = {0}: 0; video 1 top 2 = {1, 0}: 1/2 -> (0 + 0.5) / 2
        assertEquals(0.25, m.precisionAtEqualRecallRate(), 1e-12);
        // class 1: scores (0.5 pos, 0.9 pos) -> AP 1; class 2: (0.5 neg, 0.1 pos) -> 1/2; class 0 has no positive
        assertEquals(0.75, m.meanAveragePrecision(), 1e-12);
        assertEquals(1.5 / 3, m.meanAveragePrecisionAllClasses(), 1e-12);
        // within a video, ties go to the lower class index
        assertArrayEquals(new int[] {0, 1, 2}, m.topClasses(0, 3));
    }

    @Test
    void aPerfectRankingScoresOne() {
        Random r = new Random(4);
        int videos = 40;
        int classes = 30;
        int[][] labels = randomLabels(r, videos, classes);
        float[] s = new float[videos * classes];
        for (int v = 0; v < videos; v++) {
            for (int c : labels[v]) {
                s[v * classes + c] = 1 + r.nextFloat();
            }
        }
        TaggingMetrics m = new TaggingMetrics(s, classes, labels);
        assertEquals(1, m.globalAveragePrecision(20), 1e-12);
        assertEquals(1, m.meanAveragePrecision(), 1e-12);
    }

    static int[][] randomLabels(Random r, int videos, int classes) {
        int[][] labels = new int[videos][];
        for (int v = 0; v < videos; v++) {
            // at most as many distinct labels as there are classes (else the stream never ends)
            labels[v] = r.ints(0, classes).distinct().limit(Math.min(classes, 1 + r.nextInt(3))).sorted().toArray();
        }
        return labels;
    }

    @Property(tries = 50)
    void boundedAndInvariantToMonotoneTransformsAndVideoOrder(@ForAll @IntRange(min = 1, max = 1000) int seed) {
        Random r = new Random(seed);
        int videos = 5 + r.nextInt(30);
        int classes = 2 + r.nextInt(40);
        int[][] labels = randomLabels(r, videos, classes);
        float[] s = new float[videos * classes];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(8) / 8f; // coarse: many ties
        }
        TaggingMetrics.Summary base = new TaggingMetrics(s, classes, labels).summary();
        for (double x : new double[] {base.gap(), base.meanAveragePrecision(), base.hitAtOne(), base.perr()}) {
            assertTrue(x >= 0 && x <= 1, "metric out of [0, 1]: " + x);
        }
        float[] logit = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            logit[i] = (float) Math.log((s[i] + 0.01) / (1.01 - s[i])) * 3 - 7; // strictly increasing
        }
        assertEquals(base, new TaggingMetrics(logit, classes, labels).summary());
        int[] perm = new int[videos];
        List<Integer> idx = new ArrayList<>();
        for (int v = 0; v < videos; v++) {
            idx.add(v);
        }
        java.util.Collections.shuffle(idx, r);
        float[] ps = new float[s.length];
        int[][] pl = new int[videos][];
        for (int v = 0; v < videos; v++) {
            perm[v] = idx.get(v);
            System.arraycopy(s, perm[v] * classes, ps, v * classes, classes);
            pl[v] = labels[perm[v]];
        }
        TaggingMetrics.Summary shuffled = new TaggingMetrics(ps, classes, pl).summary();
        assertEquals(base.gap(), shuffled.gap(), 1e-12);
        assertEquals(base.meanAveragePrecision(), shuffled.meanAveragePrecision(), 1e-12);
        assertEquals(base.hitAtOne(), shuffled.hitAtOne(), 1e-12);
        assertEquals(base.perr(), shuffled.perr(), 1e-12);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TaggingMetrics(new float[5], 3, new int[][] {{0}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> new TaggingMetrics(new float[6], 3, new int[][] {{0}, {3}}));
        assertThrows(IllegalArgumentException.class,
                () -> new TaggingMetrics(new float[] {0, Float.NaN, 0}, 3, new int[][] {{0}}));
    }
}
