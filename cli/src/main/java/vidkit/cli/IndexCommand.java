package vidkit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.data.AtomicFiles;
import vidkit.data.FeatureSet;
import vidkit.index.EmbeddingLibrary;
import vidkit.index.ExactSearch;
import vidkit.index.HnswIndex;
import vidkit.core.RunDirectory;
import vidkit.matching.TrainedMatcher;

@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Build HNSW indexes of embedding libraries and search libraries (exact or HNSW).",
        subcommands = {IndexCommand.Build.class, IndexCommand.Search.class, IndexCommand.Synthesize.class})
final class IndexCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Build a persisted HNSW index (Lucene) of an embedding library into a new directory.")
    static final class Build implements Callable<Integer> {
        @Option(names = "--library", required = true, description = "An embedding library (vidkit embed).")
        Path library;

        @Option(names = "--out", required = true, description = "The index directory to create (must not exist).")
        Path out;

        @Option(names = "--max-conn", defaultValue = "16", description = "Neighbours per node, HNSW's M (default: ${DEFAULT-VALUE}).")
        int maxConn;

        @Option(names = "--beam-width", defaultValue = "100",
                description = "Candidates kept while inserting, efConstruction (default: ${DEFAULT-VALUE}).")
        int beamWidth;

        @Option(names = "--quantization", defaultValue = "none",
                description = "How the graph compares vectors: none (float32), int8 or int4; hits are re-scored exactly "
                        + "either way (default: ${DEFAULT-VALUE}).")
        String quantization;

        @Override
        public Integer call() throws Exception {
            int threads = Options.computeThreads();
            try (EmbeddingLibrary lib = EmbeddingLibrary.open(library); PhaseProgress progress = new PhaseProgress()) {
                HnswIndex.BuildStats stats = HnswIndex.build(lib, out, new HnswIndex.Params(maxConn, beamWidth, quantization),
                        threads, progress);
                progress.close();
                System.out.printf(Locale.ROOT, "indexed %d %d-d vectors (%s) in %.1f s (%.0f vectors/s, %d threads) into %s%n",
                        stats.vectors(), lib.dim(), stats.similarity(), stats.seconds(), stats.vectors() / stats.seconds(),
                        threads, out);
            }
            return 0;
        }
    }

    @Command(name = "synthesize", mixinStandardHelpOptions = true,
            description = "Write a larger library for load tests: a real library's rows first, then synthetic unit vectors "
                    + "drawn from a Gaussian with that library's mean and covariance (ids synthetic-NNNNNNN).")
    static final class Synthesize implements Callable<Integer> {
        @Option(names = "--like", required = true, description = "The real library (its rows are kept, its statistics drawn from).")
        Path like;

        @Option(names = "--count", required = true, description = "Rows in all.")
        int count;

        @Option(names = "--seed", defaultValue = "7") long seed;

        @Option(names = "--out", required = true, description = "The library file to write (atomically).")
        Path out;

        @Override
        public Integer call() throws Exception {
            try (EmbeddingLibrary real = EmbeddingLibrary.open(like)) {
                if (count < real.size()) {
                    throw new IllegalArgumentException("--count " + count + " is below the real library's " + real.size() + " rows");
                }
                int dim = real.dim();
                int extra = count - real.size();
                float[] rows = new float[Math.multiplyExact(count, dim)];
                real.rows(0, real.size(), rows);
                float[] synthetic = vidkit.index.SearchBenchmark.likeLibrary(real, extra, seed);
                System.arraycopy(synthetic, 0, rows, real.size() * dim, synthetic.length);
                List<String> ids = new java.util.ArrayList<>(real.ids());
                for (int i = 0; i < extra; i++) {
                    ids.add(String.format(Locale.ROOT, "synthetic-%07d", i));
                }
                EmbeddingLibrary.write(out, ids, rows, dim);
                System.out.printf(Locale.ROOT, "wrote %d rows (%d real, %d synthetic) of %d-d into %s%n", count, real.size(),
                        extra, dim, out);
            }
            return 0;
        }
    }

    /** One progress bar per build phase, fed from any thread with absolute counts. */
    static final class PhaseProgress implements HnswIndex.Progress, AutoCloseable {
        private String phase;
        private vidkit.core.Progress bar;
        private long shown;

        @Override
        public synchronized void update(String phase, long done, long total) {
            if (!phase.equals(this.phase)) {
                close();
                this.phase = phase;
                this.bar = vidkit.core.Progress.start(phase, total);
                this.shown = 0;
            }
            if (done > shown) {
                bar.step(done - shown, "");
                shown = done;
            }
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Embed query clips with a two-tower or CCA run's other side and find each one's top k in a library "
                    + "(exact search with the Vector API, or HNSW with --index); writes query_id,rank,library_id,score.")
    static final class Search implements Callable<Integer> {
        @Option(names = "--library", required = true, description = "An embedding library (vidkit embed).")
        Path library;

        @Option(names = "--run", required = true, description = "The twotower or cca run that embedded the library.")
        Path run;

        @Option(names = "--queries", required = true, description = "Directory of the query clips' feature files ID.npy.")
        Path queries;

        @Option(names = "--modality", required = true, description = "The queries' modality: video (search audios) or audio.")
        String modality;

        @Option(names = "-k", defaultValue = "10", description = "Hits per query (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--out", required = true, description = "The CSV to write (atomically).")
        Path out;

        @Option(names = "--index", description = "Search this HNSW index of the library (vidkit index build) instead of "
                + "exactly.")
        Path index;

        @Option(names = "--ef", defaultValue = "100",
                description = "With --index: graph candidates per query, efSearch (default: ${DEFAULT-VALUE}).")
        int ef;

        @Override
        public Integer call() throws Exception {
            boolean video = Options.modality(modality);
            FeatureSet set = FeatureSet.load(queries);
            int threads = Options.computeThreads();
            try (TrainedMatcher matcher = TrainedMatcher.load(RunDirectory.open(run).inferenceCheckpoint());
                    EmbeddingLibrary lib = EmbeddingLibrary.open(library)) {
                if (lib.dim() != matcher.embeddingDim()) {
                    throw new IllegalArgumentException(library + " holds " + lib.dim() + "-d embeddings; the run embeds "
                            + matcher.embeddingDim() + "-d");
                }
                float[] q = matcher.embed(set, video);
                long t0 = System.nanoTime();
                List<List<ExactSearch.Hit>> hits;
                if (index == null) {
                    hits = ExactSearch.search(lib, q, set.size(), k, threads);
                } else {
                    hits = new java.util.ArrayList<>();
                    try (HnswIndex hnsw = HnswIndex.open(index, lib)) {
                        int dim = lib.dim();
                        for (int i = 0; i < set.size(); i++) {
                            hits.add(hnsw.search(java.util.Arrays.copyOfRange(q, i * dim, (i + 1) * dim), k, ef));
                        }
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                StringBuilder csv = new StringBuilder("query_id,rank,library_id,score\n");
                for (int i = 0; i < set.size(); i++) {
                    for (int r = 0; r < hits.get(i).size(); r++) {
                        ExactSearch.Hit h = hits.get(i).get(r);
                        csv.append(vidkit.data.Csv.quote(set.ids().get(i))).append(',').append(r + 1).append(',')
                                .append(vidkit.data.Csv.quote(lib.ids().get(h.index())))
                                .append(String.format(Locale.ROOT, ",%.6f%n", h.score()));
                    }
                }
                AtomicFiles.writeString(out, csv.toString());
                System.out.printf(Locale.ROOT, "searched %d queries in %d library items (%s) in %.3f s; top %d in %s%n",
                        set.size(), lib.size(), index == null ? "exact" : "HNSW, ef " + ef, seconds, k, out);
            }
            return 0;
        }
    }
}
