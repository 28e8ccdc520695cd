package vidkit.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Spearman against scipy (tools/spearman_golden.py), ranks on a worked example, the other metrics as properties. */
class SimilarityMetricsTest {
    @Test
    void spearmanMatchesScipyWithTies() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(getClass().getResource("/spearman/golden.txt").toURI()));
        assertEquals(12, lines.size());
        for (int c = 0; c < 3; c++) {
            int n = Integer.parseInt(lines.get(4 * c).trim());
            double[] p = Arrays.stream(lines.get(4 * c + 1).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
            double[] t = Arrays.stream(lines.get(4 * c + 2).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
            assertEquals(n, p.length);
            assertEquals(Double.parseDouble(lines.get(4 * c + 3)), SimilarityMetrics.spearman(p, t), 1e-12, "case " + c);
        }
    }

    @Test
    void averageRanksOnAWorkedExample() {
        // 10, 20, 20, 30 → 1, 2.5, 2.5, 4 (whatever the input order)
        assertArrayEquals(new double[] {2.5, 1, 4, 2.5}, SimilarityMetrics.ranks(new double[] {20, 10, 30, 20}), 0);
        assertTrue(Double.isNaN(SimilarityMetrics.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})), "constant side");
        assertThrows(IllegalArgumentException.class, () -> SimilarityMetrics.spearman(new double[] {1}, new double[] {1}));
    }

    @Test
    void boundsMonotoneInvarianceAndTheInterval() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 20 + r.nextInt(200);
            double[] t = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = Math.round(r.nextDouble() * 20) / 20.0;
                p[i] = t[i] + r.nextGaussian() * (trial % 4) * 0.2;
            }
            SimilarityMetrics m = SimilarityMetrics.of(p, t, 200, 1);
            assertTrue(m.spearman() >= -1 && m.spearman() <= 1);
            assertTrue(m.low() <= m.spearman() + 1e-9 && m.spearman() <= m.high() + 0.05, m.toString());
            assertTrue(m.precisionAt10() >= 0 && m.precisionAt10() <= 1);
            // a strictly increasing transform of the predictions changes neither ρ nor precision
            double[] q = Arrays.stream(p).map(x -> Math.exp(3 * x)).toArray();
            assertEquals(m.spearman(), SimilarityMetrics.spearman(q, t), 1e-12);
            assertEquals(m.precisionAt10(), SimilarityMetrics.precisionAtTenPercent(q, t), 1e-12);
        }
        // perfect predictions: ρ = 1, MSE 0, precision 1
        double[] t = {0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.4, 0.6, 0.8, 1.0};
        SimilarityMetrics perfect = SimilarityMetrics.of(t, t, 50, 1);
        assertEquals(1.0, perfect.spearman(), 1e-12);
        assertEquals(0.0, perfect.mse(), 0);
        assertEquals(1.0, perfect.precisionAt10(), 0);
    }
}
