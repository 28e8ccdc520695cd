package vidkit.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    @Test
    void dualSoftmaxOfAWorkedExample() {
        // S = [[1,0],[0,1]]: mean 0.5, std 0.5, Z = [[1,-1],[-1,1]]; at tau = 1 each row and column softmax
        // is [e/(e+1/e), (1/e)/(e+1/e)] = [0.880797, 0.119203]; the product: diagonal 0.775803, off 0.014209
        float[] out = ScoreNormalization.DUAL_SOFTMAX.apply(new float[] {1, 0, 0, 1}, 2, 2, 1.0);
        assertArrayEquals(new float[] {0.775803f, 0.014209f, 0.014209f, 0.775803f}, out, 1e-6f);
        float[] same = {3, 1};
        assertSame(same, ScoreNormalization.NONE.apply(same, 1, 2, 1.0));
    }

    @Test
    void dualSoftmaxDampsAHubAudio() {
        // audio 0 scores highest with every video; after normalization video 1 prefers its own audio
        float[] s = {0.9f, 0.1f, 0.2f, 0.85f, 0.8f, 0.3f, 0.8f, 0.2f, 0.7f};
        SimilarityMatrix raw = new SimilarityMatrix(3, 3, s);
        SimilarityMatrix norm = new SimilarityMatrix(3, 3, ScoreNormalization.DUAL_SOFTMAX.apply(s, 3, 3, 0.3));
        assertEquals(2, Retrieval.rankInRow(raw, 1, 1));
        assertEquals(1, Retrieval.rankInRow(norm, 1, 1));
    }

    @Property(tries = 50)
    void dualSoftmaxRanksIgnoreAffineRescaling(@ForAll @IntRange(min = 2, max = 8) int n, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.1, max = 50) double scale, @ForAll @DoubleRange(min = -5, max = 5) double shift) {
        java.util.Random r = new java.util.Random(seed);
        float[] s = new float[n * n];
        float[] t = new float[n * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) r.nextGaussian();
            t[i] = (float) (s[i] * scale + shift);
        }
        var a = new SimilarityMatrix(n, n, ScoreNormalization.DUAL_SOFTMAX.apply(s, n, n, 0.5));
        var b = new SimilarityMatrix(n, n, ScoreNormalization.DUAL_SOFTMAX.apply(t, n, n, 0.5));
        float[] av = a.values();
        float[] bv = b.values();
        for (int i = 0; i < av.length; i++) {
            assertEquals(av[i], bv[i], 1e-4 * Math.max(1, Math.abs(av[i])));
        }
    }

    @Test
    void sinkhornMatchesTheNumpyGoldenValues() {
        // tools/sinkhorn_golden.py: plain (not log-domain) matrix scaling in float64, 20 row-then-column steps
        float[] hub = {0.9f, 0.1f, 0.2f, 0.85f, 0.8f, 0.3f, 0.8f, 0.2f, 0.7f};
        assertArrayEquals(new float[] {0.939584f, 0.012316f, 0.039526f, 0.024042f, 0.983609f, 0.005056f, 0.036374f,
                0.004075f, 0.955419f}, ScoreNormalization.SINKHORN.apply(hub, 3, 3, 0.3), 2e-6f);
        // the hub audio 0 no longer wins video 1's row
        assertEquals(1, Retrieval.rankInRow(new SimilarityMatrix(3, 3, ScoreNormalization.SINKHORN.apply(hub, 3, 3, 0.3)), 1, 1));
        float[] wide = {1.0f, 0.0f, 0.5f, 0.2f, 0.9f, 0.4f};
        assertArrayEquals(new float[] {0.595749f, 0.044063f, 0.360187f, 0.070917f, 0.622603f, 0.306479f},
                ScoreNormalization.SINKHORN.apply(wide, 2, 3, 1.0), 2e-6f);
    }

    @Property(tries = 50)
    void sinkhornColumnsSumToTheirMassAndItCommutesWithPermutations(@ForAll @IntRange(min = 2, max = 9) int rows,
            @ForAll @IntRange(min = 2, max = 9) int cols, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] s = new float[rows * cols];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) r.nextGaussian();
        }
        float[] out = ScoreNormalization.SINKHORN.apply(s, rows, cols, 0.5);
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                assertTrue(out[i * cols + c] > 0 && out[i * cols + c] <= 1);
                sum += out[i * cols + c];
            }
            assertEquals((double) rows / cols, sum, 1e-5);
        }
        // reversing the order of the rows and of the columns reverses the output the same way
        float[] flipped = new float[s.length];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                flipped[(rows - 1 - i) * cols + (cols - 1 - c)] = s[i * cols + c];
            }
        }
        float[] outFlipped = ScoreNormalization.SINKHORN.apply(flipped, rows, cols, 0.5);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(out[i * cols + c], outFlipped[(rows - 1 - i) * cols + (cols - 1 - c)], 1e-6);
            }
        }
    }

    @Test
    void sinkhornAtAVeryLowTemperatureDoesNotUnderflow() {
        // tau 1e-3 puts standardized scores a thousand units apart: exp() alone would underflow to 0
        float[] s = {5, 1, 2, 0, 4, 3, 1, 2, 6};
        float[] out = ScoreNormalization.SINKHORN.apply(s, 3, 3, 1e-3);
        for (float v : out) {
            assertTrue(Float.isFinite(v) && v >= 0, java.util.Arrays.toString(out));
        }
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, out, 1e-4f); // the diagonal is the best assignment
    }

    @Test
    void ensembleStandardizesMembersBeforeAveraging() {
        SimilarityMatrix a = new SimilarityMatrix(1, 3, new float[] {0, 1, 2});
        SimilarityMatrix b = new SimilarityMatrix(1, 3, new float[] {200, 100, 0}); // same spread in z-scores, reversed
        assertSame(a, Ensemble.average(List.of(a)));
        // z(a) = [-1.2247, 0, 1.2247], z(b) = [1.2247, 0, -1.2247]: the mean is 0 everywhere
        assertArrayEquals(new float[] {0, 0, 0}, Ensemble.average(List.of(a, b)).values(), 1e-6f);
        assertThrows(IllegalArgumentException.class,
                () -> Ensemble.average(List.of(a, new SimilarityMatrix(3, 1, new float[3]))));
    }
}
