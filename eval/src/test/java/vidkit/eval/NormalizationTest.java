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
