package vidkit.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetrievalTest {
    /*
     * Worked example (rows videos, columns audios, truth on the diagonal):
     *   row 0: 0.9 0.1 0.5  -> true 0.9 beats all            -> rank 1
     *   row 1: 0.8 0.3 0.8  -> two scores above 0.3          -> rank 3
     *   row 2: 0.2 0.7 0.7  -> one tie with the truth        -> rank 2 (ties count against)
     * video->audio ranks {1,3,2}: R@1 = 1/3, R@5 = 1, median 2, MRR = (1 + 1/3 + 1/2)/3 = 11/18
     * columns: col 0 {0.9,0.8,0.2} truth 0.9 -> 1; col 1 {0.1,0.3,0.7} truth 0.3 -> 2;
     *          col 2 {0.5,0.8,0.7} truth 0.7 -> 2.  audio->video ranks {1,2,2}: MRR = 2/3
     */
    static final SimilarityMatrix EXAMPLE =
            new SimilarityMatrix(3, 3, new float[] {0.9f, 0.1f, 0.5f, 0.8f, 0.3f, 0.8f, 0.2f, 0.7f, 0.7f});

    @Test
    void ranksTheWorkedExample() {
        assertArrayEquals(new int[] {1, 3, 2}, Retrieval.diagonalRanks(EXAMPLE));
        assertArrayEquals(new int[] {1, 2, 2}, Retrieval.diagonalRanks(EXAMPLE.transpose()));
    }

    @Test
    void wholeSetMetricsOfTheWorkedExample() {
        RetrievalReport r = Retrieval.evaluate(EXAMPLE, 50, 10, 200, 1);
        assertEquals(1 / 3.0, r.videoToAudio().recallAt1().value(), 1e-12);
        assertEquals(1.0, r.videoToAudio().recallAt5().value(), 1e-12);
        assertEquals(2.0, r.videoToAudio().medianRank().value(), 1e-12);
        assertEquals(11 / 18.0, r.videoToAudio().meanReciprocalRank().value(), 1e-12);
        assertEquals(2 / 3.0, r.audioToVideo().meanReciprocalRank().value(), 1e-12);
        // subset size is capped at N = 3: every draw is the whole set
        assertEquals(3, r.subsetSize());
        assertEquals(1 / 3.0, r.subsetTopK().get(1), 1e-12);
        assertEquals(2 / 3.0, r.subsetTopK().get(2), 1e-12);
        assertEquals(1.0, r.subsetTopK().get(3), 1e-12);
        assertTrue(r.toTable().contains("video->audio"));
    }

    @Test
    void medianOfEvenCountAveragesTheMiddle() {
        double[] m = Retrieval.pointMetrics(new int[] {1, 2, 4, 9});
        assertEquals(3.0, m[3], 1e-12);
    }

    @Test
    void constantScoresRankEveryTruthLast() {
        SimilarityMatrix s = new SimilarityMatrix(4, 4, new float[16]);
        assertArrayEquals(new int[] {4, 4, 4, 4}, Retrieval.diagonalRanks(s));
        Map<Integer, Double> topk = Retrieval.subsetTopK(s, 4, 3, 1, 5);
        assertEquals(0.0, topk.get(1));
        assertEquals(1.0, topk.get(4));
    }

    @Test
    void rejectsNaNAndNonSquare() {
        assertThrows(IllegalArgumentException.class, () -> new SimilarityMatrix(1, 2, new float[] {0, Float.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> Retrieval.diagonalRanks(new SimilarityMatrix(1, 2, new float[2])));
        assertThrows(IllegalArgumentException.class, () -> new SimilarityMatrix(2, 2, new float[3]));
    }

    @Test
    void randomScoresGiveChanceLevelSubsetAccuracy() {
        int n = 300;
        float[] v = new float[n * n];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        Map<Integer, Double> topk = Retrieval.subsetTopK(new SimilarityMatrix(n, n, v), 50, 1000, 3, 5);
        assertEquals(1 / 50.0, topk.get(1), 0.004);
        assertEquals(5 / 50.0, topk.get(5), 0.008);
    }

    @Property(tries = 60)
    void metricsAreBoundedAndMonotone(@ForAll("matrices") SimilarityMatrix s) {
        DirectionMetrics m = Retrieval.direction(Retrieval.diagonalRanks(s), 50, 1);
        assertTrue(0 <= m.recallAt1().value() && m.recallAt1().value() <= m.recallAt5().value());
        assertTrue(m.recallAt5().value() <= m.recallAt10().value() && m.recallAt10().value() <= 1);
        assertTrue(m.meanReciprocalRank().value() > 0 && m.meanReciprocalRank().value() <= 1);
        assertTrue(m.medianRank().value() >= 1 && m.medianRank().value() <= s.rows());
        assertTrue(m.recallAt1().low() <= m.recallAt1().high());
        Map<Integer, Double> topk = Retrieval.subsetTopK(s, Math.min(5, s.rows()), 20, 2, 5);
        double prev = 0;
        for (double x : topk.values()) {
            assertTrue(x >= prev && x <= 1);
            prev = x;
        }
    }

    @Property(tries = 60)
    void perfectDiagonalScoresOne(@ForAll @IntRange(min = 2, max = 40) int n) {
        float[] v = new float[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        RetrievalReport r = Retrieval.evaluate(new SimilarityMatrix(n, n, v), 50, 20, 20, 1);
        assertEquals(1.0, r.subsetTopK().get(1));
        assertEquals(1.0, r.videoToAudio().recallAt1().value());
        assertEquals(1.0, r.audioToVideo().meanReciprocalRank().value());
        assertEquals(1.0, r.videoToAudio().medianRank().value());
    }

    @Property(tries = 60)
    void ranksAreInvariantToRelabellingItemsAndMonotoneTransforms(@ForAll("matrices") SimilarityMatrix s,
            @ForAll long seed) {
        int n = s.rows();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        java.util.Random r = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] p = new float[n * n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                // permute items and apply a strictly increasing transform
                p[a * n + b] = (float) Math.exp(s.get(perm[a], perm[b]));
            }
        }
        int[] before = Retrieval.diagonalRanks(s);
        int[] after = Retrieval.diagonalRanks(new SimilarityMatrix(n, n, p));
        for (int a = 0; a < n; a++) {
            assertEquals(before[perm[a]], after[a]);
        }
    }

    @Provide
    Arbitrary<SimilarityMatrix> matrices() {
        return Arbitraries.integers().between(2, 12).flatMap(n -> Arbitraries.integers().between(-3, 3)
                .map(Integer::floatValue).array(float[].class).ofSize(n * n)
                .map(v -> new SimilarityMatrix(n, n, v)));
    }
}
