package vidkit.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact-search throughput on a library of clustered unit vectors (random centres plus noise, the
 * shape of two-tower embeddings), beside the memory-bandwidth bound measured in the same run: a
 * streaming pass that reads every row of the library once and adds it up.
 */
public final class SearchBenchmark {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SearchBenchmark() {}

    /**
     * @param streamGigabytesPerSecond one pass over the rows, {@code threads} threads
     * @param boundQueriesPerSecond queries/s if each query needed one such pass (unbatched)
     * @param queriesPerSecond measured, per batch size
     */
    public record Result(int vectors, int dim, int threads, double streamGigabytesPerSecond, double boundQueriesPerSecond,
            int[] batchSizes, double[] queriesPerSecond) {}

    /** Unit vectors around {@code clusters} random centres, row-major {@code [n, dim]}. */
    public static float[] clustered(int n, int dim, int clusters, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int i = 0; i < dim; i++) {
                c[i] = (float) r.nextGaussian();
            }
        }
        float[] v = new float[n * dim];
        for (int row = 0; row < n; row++) {
            float[] c = centres[r.nextInt(clusters)];
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                float x = c[i] + 0.5f * (float) r.nextGaussian();
                v[row * dim + i] = x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dim; i++) {
                v[row * dim + i] *= inv;
            }
        }
        return v;
    }

    public static Result run(Path dir, int n, int dim, int threads, int[] batchSizes, int repeats) throws IOException {
        Path file = dir.resolve("bench-" + n + "x" + dim + ".vkemb");
        float[] data = clustered(n, dim, 1000, 7);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(Integer.toString(i));
        }
        EmbeddingLibrary.write(file, ids, data, dim);
        data = null;
        try (EmbeddingLibrary lib = EmbeddingLibrary.open(file)) {
            double[] stream = new double[repeats];
            for (int r = -1; r < repeats; r++) {
                long t0 = System.nanoTime();
                streamSum(lib, threads);
                if (r >= 0) {
                    stream[r] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double bytes = 4.0 * n * dim;
            double streamSeconds = median(stream);
            float[] queries = clustered(Math.max(1, max(batchSizes)), dim, 1000, 8);
            double[] qps = new double[batchSizes.length];
            for (int b = 0; b < batchSizes.length; b++) {
                int q = batchSizes[b];
                float[] batch = java.util.Arrays.copyOf(queries, q * dim);
                double[] t = new double[repeats];
                for (int r = -1; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    ExactSearch.search(lib, batch, q, 10, threads);
                    if (r >= 0) {
                        t[r] = (System.nanoTime() - t0) / 1e9;
                    }
                }
                qps[b] = q / median(t);
            }
            return new Result(n, dim, threads, bytes / streamSeconds / 1e9, 1 / streamSeconds, batchSizes, qps);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Adds up every value of the library, {@code threads} threads over blocks (the bandwidth probe). */
    static float streamSum(EmbeddingLibrary lib, int threads) {
        int n = lib.size();
        int dim = lib.dim();
        int blocks = (n + ExactSearch.BLOCK_ROWS - 1) / ExactSearch.BLOCK_ROWS;
        int parts = Math.max(1, Math.min(threads, blocks));
        float[] sums = new float[parts];
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(parts);
        try {
            pool.submit(() -> java.util.stream.IntStream.range(0, parts).parallel().forEach(p -> {
                float[] block = new float[ExactSearch.BLOCK_ROWS * dim];
                FloatVector acc = FloatVector.zero(SPECIES);
                for (int b = p; b < blocks; b += parts) {
                    int from = b * ExactSearch.BLOCK_ROWS;
                    int rows = Math.min(ExactSearch.BLOCK_ROWS, n - from);
                    lib.rows(from, rows, block);
                    int len = rows * dim;
                    int i = 0;
                    for (; i < SPECIES.loopBound(len); i += SPECIES.length()) {
                        acc = acc.add(FloatVector.fromArray(SPECIES, block, i));
                    }
                }
                sums[p] = acc.reduceLanes(VectorOperators.ADD);
            })).join();
        } finally {
            pool.shutdown();
        }
        float s = 0;
        for (float x : sums) {
            s += x;
        }
        return s;
    }

    private static int max(int[] x) {
        int m = 0;
        for (int v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
