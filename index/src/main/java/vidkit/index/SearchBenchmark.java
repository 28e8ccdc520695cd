package vidkit.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Search benchmarks on synthetic libraries: exact-search throughput beside the memory-bandwidth
 * bound measured in the same run (a streaming pass that reads every row once and adds it up), and
 * HNSW recall@10 against exact search with its queries/s. Two generators: {@link #clustered} (unit
 * vectors around random centres with isotropic noise in every dimension: a hard case for graphs,
 * since neighbours within a cluster are nearly equidistant) and {@link #likeLibrary} (a Gaussian
 * with the mean and covariance of a real library: the spectrum, hence the intrinsic dimension, of
 * real embeddings).
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

    /**
     * {@code n} unit vectors drawn from a Gaussian with the mean and covariance of {@code model}'s
     * rows (then normalized): synthetic data with the spectrum, hence the intrinsic dimension, of
     * real embeddings. Row-major {@code [n, dim]}.
     */
    public static float[] likeLibrary(EmbeddingLibrary model, int n, long seed) {
        int dim = model.dim();
        int m = model.size();
        if (m < 2) {
            throw new IllegalArgumentException(model.path() + " has " + m + " rows; a covariance needs at least 2");
        }
        double[] mean = new double[dim];
        double[][] cov = new double[dim][dim];
        float[] row = new float[dim];
        for (int r = 0; r < m; r++) {
            model.rows(r, 1, row);
            for (int i = 0; i < dim; i++) {
                mean[i] += row[i] / (double) m;
            }
        }
        for (int r = 0; r < m; r++) {
            model.rows(r, 1, row);
            for (int i = 0; i < dim; i++) {
                double di = row[i] - mean[i];
                for (int j = 0; j <= i; j++) {
                    cov[i][j] += di * (row[j] - mean[j]) / (m - 1);
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < dim; i++) {
            trace += cov[i][i];
        }
        // Cholesky of cov + a tiny ridge (the sample covariance of few rows may be singular)
        double ridge = 1e-6 * trace / dim;
        double[][] l = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = cov[i][j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(Math.max(sum, 1e-30)) : sum / l[j][j];
            }
        }
        Random random = new Random(seed);
        float[] out = new float[n * dim];
        double[] z = new double[dim];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < dim; i++) {
                z[i] = random.nextGaussian();
            }
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                double x = mean[i];
                for (int k = 0; k <= i; k++) {
                    x += l[i][k] * z[k];
                }
                out[r * dim + i] = (float) x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dim; i++) {
                out[r * dim + i] *= inv;
            }
        }
        return out;
    }

    /**
     * Exact top-10 throughput on {@code lib} for each batch size (queries taken from {@code queries
     * [*, dim]}), beside a streaming pass over the rows; medians of {@code repeats} after a warm-up.
     */
    public static Result exact(EmbeddingLibrary lib, float[] queries, int threads, int[] batchSizes, int repeats) {
        int n = lib.size();
        int dim = lib.dim();
        double[] stream = new double[repeats];
        // three warm-up passes: the first ones over a freshly written, freshly mapped file fault its pages in
        for (int r = -3; r < repeats; r++) {
            long t0 = System.nanoTime();
            streamSum(lib, threads);
            if (r >= 0) {
                stream[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        double bytes = 4.0 * n * dim;
        double streamSeconds = median(stream);
        double[] qps = new double[batchSizes.length];
        for (int b = 0; b < batchSizes.length; b++) {
            int q = batchSizes[b];
            if ((long) q * dim > queries.length) {
                throw new IllegalArgumentException("batch of " + q + " but only " + queries.length / dim + " queries");
            }
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
    }

    /**
     * HNSW against exact search on the same queries.
     *
     * @param buildSeconds time to build the index (both phases)
     * @param efs graph candidates per query, one measurement each
     * @param recallAt10 mean fraction of the exact top 10 found, per ef
     * @param queriesPerSecond single queries from {@code threads} threads at once, per ef
     */
    public record HnswResult(int vectors, int dim, int threads, int queries, double buildSeconds, int[] efs,
            double[] recallAt10, double[] queriesPerSecond) {}

    /**
     * Builds an HNSW index of {@code lib} in {@code indexDir}, computes the exact top 10 of {@code
     * queryCount} queries, then for each ef searches every query ({@code threads} threads each taking
     * queries in turn; one untimed pass first) and measures recall@10 and queries/s.
     */
    public static HnswResult hnsw(EmbeddingLibrary lib, Path indexDir, HnswIndex.Params params, float[] queries,
            int queryCount, int threads, int[] efs, HnswIndex.Progress progress) throws IOException {
        int dim = lib.dim();
        HnswIndex.BuildStats stats = HnswIndex.build(lib, indexDir, params, threads, progress);
        List<List<ExactSearch.Hit>> truth = ExactSearch.search(lib, queries, queryCount, 10, threads);
        double[] recall = new double[efs.length];
        double[] qps = new double[efs.length];
        try (HnswIndex index = HnswIndex.open(indexDir, lib)) {
            // warm-up: every query once at the largest ef (compiles the search paths, maps the files)
            int maxEf = java.util.Arrays.stream(efs).max().orElse(10);
            for (int q = 0; q < queryCount; q++) {
                index.search(java.util.Arrays.copyOfRange(queries, q * dim, (q + 1) * dim), 10, maxEf);
            }
            for (int e = 0; e < efs.length; e++) {
                int ef = efs[e];
                @SuppressWarnings("unchecked")
                List<ExactSearch.Hit>[] found = new List[queryCount];
                double seconds = 0;
                for (int pass = 0; pass < 2; pass++) {
                    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                    long t0 = System.nanoTime();
                    try {
                        List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
                        for (int t = 0; t < threads; t++) {
                            parts.add(pool.submit(() -> {
                                for (int q; (q = next.getAndIncrement()) < queryCount; ) {
                                    found[q] = index.search(java.util.Arrays.copyOfRange(queries, q * dim, (q + 1) * dim), 10, ef);
                                }
                                return null;
                            }));
                        }
                        for (var f : parts) {
                            f.get();
                        }
                    } catch (InterruptedException | java.util.concurrent.ExecutionException ex) {
                        throw new IOException("search failed: " + ex, ex);
                    } finally {
                        pool.shutdown();
                    }
                    seconds = (System.nanoTime() - t0) / 1e9;
                }
                long hits = 0;
                for (int q = 0; q < queryCount; q++) {
                    java.util.Set<Integer> exact = new java.util.HashSet<>();
                    truth.get(q).forEach(h -> exact.add(h.index()));
                    for (ExactSearch.Hit h : found[q]) {
                        if (exact.contains(h.index())) {
                            hits++;
                        }
                    }
                }
                recall[e] = hits / (10.0 * queryCount);
                qps[e] = queryCount / seconds;
            }
        }
        return new HnswResult(lib.size(), dim, threads, queryCount, stats.seconds(), efs, recall, qps);
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
