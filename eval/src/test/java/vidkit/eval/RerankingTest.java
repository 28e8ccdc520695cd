package vidkit.eval;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RerankingTest {
    @Test
    void workedExample() {
        // one query row 0, true item 0; first stage scores 0.5 0.9 0.4 0.8 (t ranks 3rd);
        // second stage 0.7 0.1 0.9 0.6.
        SimilarityMatrix first = new SimilarityMatrix(1, 4, new float[] {0.5f, 0.9f, 0.4f, 0.8f});
        SimilarityMatrix second = new SimilarityMatrix(1, 4, new float[] {0.7f, 0.1f, 0.9f, 0.6f});
        int[] all = {0, 1, 2, 3};
        // k = 2: t (rank 3) is not in the short list {1, 3}: keeps rank 3
        assertEquals(3, Reranking.rank(first, second, 0, 0, all, 2));
        // k = 3: short list {1, 3, 0}; second stage 0.1, 0.6, 0.7: t first
        assertEquals(1, Reranking.rank(first, second, 0, 0, all, 3));
        // k = 4: everything, second stage: item 2 (0.9) beats t
        assertEquals(2, Reranking.rank(first, second, 0, 0, all, 4));
    }

    @Property(tries = 60)
    void kOfOneIsTheFirstStageAndKOfAllIsTheSecond(@ForAll @IntRange(min = 2, max = 9) int n, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextInt(4);
            b[i] = r.nextInt(4);
        }
        SimilarityMatrix first = new SimilarityMatrix(n, n, a);
        SimilarityMatrix second = new SimilarityMatrix(n, n, b);
        assertArrayEquals(Retrieval.diagonalRanks(first), Reranking.diagonalRanks(first, second, 1));
        assertArrayEquals(Retrieval.diagonalRanks(second), Reranking.diagonalRanks(first, second, n));
        int[] mid = Reranking.diagonalRanks(first, second, Math.max(1, n / 2));
        for (int x : mid) {
            assertTrue(x >= 1 && x <= n);
        }
    }
}
