package vidkit.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact top-k search by dot product (for unit vectors, cosine) over a library, with the Vector API.
 * Queries are batched: each thread streams its share of the library's rows once per batch,
 * block by block, and scores every query of the batch against each block while it is in cache, so
 * the library is read from memory once per batch, not once per query.
 *
 * <p>Rule for ties: equal scores rank the lower library index first. Scores agree with a
 * double-precision dot product to float rounding; the last bit may differ between runs, because the
 * Vector API's interpreted and compiled forms add the lanes in different orders.
 */
public final class ExactSearch {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Library rows per block: 1,024 × 128 floats = 512 KiB, an L2-sized piece. */
    static final int BLOCK_ROWS = 1024;

    private ExactSearch() {}

    /** A hit: the library row and its score. */
    public record Hit(int index, float score) {}

    /**
     * The top {@code k} rows for each of {@code queryCount} queries {@code [queryCount, dim]}
     * row-major, best first.
     */
    public static List<List<Hit>> search(EmbeddingLibrary library, float[] queries, int queryCount, int k, int threads) {
        int dim = library.dim();
        if (queries.length != (long) queryCount * dim) {
            throw new IllegalArgumentException("queries hold " + queries.length + " values; expected " + queryCount + " × " + dim);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        int n = library.size();
        int blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        int parts = Math.max(1, Math.min(threads, blocks));
        TopK[][] partial = new TopK[parts][];
        Runnable work = () -> IntStream.range(0, parts).parallel().forEach(p -> {
            TopK[] heaps = new TopK[queryCount];
            for (int q = 0; q < queryCount; q++) {
                heaps[q] = new TopK(k);
            }
            float[] block = new float[BLOCK_ROWS * dim];
            for (int b = p; b < blocks; b += parts) {
                int from = b * BLOCK_ROWS;
                int rows = Math.min(BLOCK_ROWS, n - from);
                library.rows(from, rows, block);
                for (int r = 0; r < rows; r++) {
                    int off = r * dim;
                    for (int q = 0; q < queryCount; q++) {
                        heaps[q].offer(from + r, dot(block, off, queries, q * dim, dim));
                    }
                }
            }
            partial[p] = heaps;
        });
        if (parts == 1) {
            work.run(); // on the caller's thread: no pool for a single part (a server's single queries)
        } else {
            ForkJoinPool pool = new ForkJoinPool(parts);
            try {
                pool.submit(work).join();
            } finally {
                pool.shutdown();
            }
        }
        List<List<Hit>> out = new ArrayList<>(queryCount);
        for (int q = 0; q < queryCount; q++) {
            TopK merged = new TopK(k);
            for (TopK[] heaps : partial) {
                heaps[q].drainInto(merged);
            }
            out.add(merged.sorted());
        }
        return out;
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(dim);
        for (; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** A bounded heap of the best {@code k} (score, index) pairs; the root is the worst kept. */
    static final class TopK {
        private final int k;
        private final int[] index;
        private final float[] score;
        private int size;

        TopK(int k) {
            this.k = k;
            this.index = new int[k];
            this.score = new float[k];
        }

        /** a ranks below b: lower score, or equal score and higher index. */
        private static boolean worse(float sa, int ia, float sb, int ib) {
            return sa < sb || (sa == sb && ia > ib);
        }

        void offer(int i, float s) {
            if (size < k) {
                index[size] = i;
                score[size] = s;
                up(size++);
            } else if (worse(score[0], index[0], s, i)) {
                index[0] = i;
                score[0] = s;
                down(0);
            }
        }

        private void up(int c) {
            while (c > 0) {
                int p = (c - 1) / 2;
                if (!worse(score[c], index[c], score[p], index[p])) {
                    break;
                }
                swap(c, p);
                c = p;
            }
        }

        private void down(int p) {
            while (true) {
                int l = 2 * p + 1;
                int r = l + 1;
                int m = p;
                if (l < size && worse(score[l], index[l], score[m], index[m])) {
                    m = l;
                }
                if (r < size && worse(score[r], index[r], score[m], index[m])) {
                    m = r;
                }
                if (m == p) {
                    return;
                }
                swap(p, m);
                p = m;
            }
        }

        private void swap(int a, int b) {
            int ti = index[a];
            index[a] = index[b];
            index[b] = ti;
            float ts = score[a];
            score[a] = score[b];
            score[b] = ts;
        }

        void drainInto(TopK other) {
            for (int i = 0; i < size; i++) {
                other.offer(index[i], score[i]);
            }
        }

        List<Hit> sorted() {
            List<Hit> hits = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                hits.add(new Hit(index[i], score[i]));
            }
            hits.sort((a, b) -> worse(a.score(), a.index(), b.score(), b.index()) ? 1
                    : worse(b.score(), b.index(), a.score(), a.index()) ? -1 : 0);
            return hits;
        }
    }
}
