package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.matching.Benchmark;
import vidkit.matching.MatchingConfig;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure scoring throughput (pairs/s for N x M, encoders included) and training throughput "
                + "(samples/s) of matching models on random features of the course data's shapes; or, with "
                + "--tfrecord, TFRecord read + parse throughput beside a plain read; with --search, exact and HNSW "
                + "search; with --text, the sentence encoders' sentences/s; with --extract, media extraction speed; with --audio, the audio extractors side by side.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", split = ",", defaultValue = "twotower,localmix",
            description = "Model types, or JSON config files (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "-n", defaultValue = "1000", description = "Videos and audios (N = M; default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--frames", defaultValue = "10") int frames;
    @Option(names = "--video-dim", defaultValue = "512") int videoDim;
    @Option(names = "--audio-dim", defaultValue = "128") int audioDim;
    @Option(names = "--repeats", defaultValue = "5") int repeats;
    @Option(names = "--train-steps", defaultValue = "20") int trainSteps;

    @Option(names = "--set", description = "Config overrides applied to every model (e.g. batchSize=128).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tfrecord", description = "Instead of models: read throughput of these TFRecord shards (a file, "
            + "directory or glob), plain read vs read + verify + parse.")
    String tfrecord;

    @Option(names = "--frame-level", description = "With --tfrecord: the shards are frame level.")
    boolean frameLevel;

    @Option(names = "--search", description = "Instead of models: exact-search throughput over this many clustered "
            + "unit vectors (--search-dim), beside the memory-bandwidth bound.")
    Integer search;

    @Option(names = "--search-dim", defaultValue = "128") int searchDim;

    @Option(names = "--batch", split = ",", defaultValue = "1,16,64", description = "Query batch sizes for --search.")
    int[] batches;

    @Option(names = "--like", description = "With --search: draw the vectors from a Gaussian with the mean and covariance "
            + "of this real embedding library (else: clustered unit vectors with isotropic noise).")
    java.nio.file.Path like;

    @Option(names = "--hnsw", description = "With --search: also build a Lucene HNSW index and measure recall@10 against "
            + "exact search and queries/s per --ef.")
    boolean hnsw;

    @Option(names = "--ef", split = ",", defaultValue = "10,20,40,80,160", description = "With --hnsw: graph candidates per query.")
    int[] efs;

    @Option(names = "--quantization", defaultValue = "none", description = "With --hnsw: none, int8 or int4.")
    String quantization;

    @Option(names = "--queries", defaultValue = "1000", description = "With --hnsw: queries for recall and queries/s.")
    int queryCount;

    @Option(names = "--text", description = "Instead of models: sentences/s of the text encoders on this many seeded "
            + "title-length sentences, with 1 thread and with --threads (default all cores).")
    Integer text;

    @Option(names = "--extract", description = "Instead of models: extraction speed (seconds of media per second) of "
            + "these media files (a file, a directory or a glob), decoding alone beside the whole extraction, with "
            + "--threads decoding and model threads.")
    String extract;

    private Integer extractBench() throws Exception {
        int threads = Options.computeThreads();
        List<java.nio.file.Path> files = vidkit.data.Shards.resolve(extract, "*");
        vidkit.media.MediaDecoder decoder = new vidkit.media.MediaDecoder(8192L * 4320, threads);
        try (vidkit.media.ImageModel visual = vidkit.media.ImageModel.mobileNetV2(threads);
                vidkit.media.YamNet yamnet = vidkit.media.YamNet.load()) {
            var rows = vidkit.media.ExtractBenchmark.measure(files, new vidkit.media.Extractor(decoder, visual, yamnet, true,
                    0), decoder);
            System.out.printf(Locale.ROOT, "%-28s %9s %11s %18s %19s%n", "file", "seconds", "frames", "decode x real time",
                    "extract x real time");
            for (var r : rows) {
                System.out.printf(Locale.ROOT, "%-28s %9.1f %11s %18.1f %19.1f%n", r.file().getFileName(), r.mediaSeconds(),
                        r.width() + "x" + r.height(), r.decodeRealTime(), r.extractRealTime());
            }
            System.out.printf(Locale.ROOT, "(%d threads: FFmpeg decoding and ONNX Runtime; second pass of each file)%n", threads);
        }
        return 0;
    }

    @Option(names = "--audio", description = "Instead of models: how well each audio extractor (YAMNet, log-mel "
            + "statistics, openWakeWord's speech embedding) tells the sound files of this directory or glob apart: top-1 retrieval of a degraded recording "
            + "(half level, low-passed, white noise at 10 dB SNR) among the clean ones.")
    String audioFiles;

    private Integer audioBench() throws Exception {
        List<java.nio.file.Path> files = vidkit.data.Shards.resolve(audioFiles, "*");
        var sounds = vidkit.media.AudioBenchmark.decode(files, new vidkit.media.MediaDecoder(1L << 26, 1));
        System.out.printf(Locale.ROOT, "%-20s %10s %8s %10s %14s %18s%n", "extractor", "dimension", "SNR dB", "top-1",
                "family top-1", "audio seconds/s");
        int n = 0;
        try (vidkit.media.YamNet yamnet = vidkit.media.YamNet.load();
                vidkit.media.SpeechEmbedding speech = vidkit.media.SpeechEmbedding.load(Options.computeThreads())) {
            for (double snr : new double[] {10, 20, 30}) {
                var rec = vidkit.media.AudioBenchmark.degrade(sounds, snr, 7);
                n = rec.files().size();
                for (vidkit.media.AudioModel m : List.of(yamnet, vidkit.media.LogMelFeatures.MODEL, speech)) {
                    var r = vidkit.media.AudioBenchmark.measure(m, rec);
                    System.out.printf(Locale.ROOT, "%-20s %10d %8.0f %10.3f %14.3f %18.1f%n", r.extractor(), r.dimension(),
                            snr, r.top1(), r.familyTop1(), r.secondsPerSecond());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d sound files, 2 s each (looped); chance %.3f%n", n, 1.0 / n);
        return 0;
    }

    private Integer textBench() {
        int threads = Options.computeThreads();
        System.out.printf(Locale.ROOT, "%-14s %8s %10s %16s%n", "text model", "threads", "sentences", "sentences/s");
        for (vidkit.text.TextModel m : vidkit.text.TextModel.values()) {
            for (int t : threads > 1 ? new int[] {1, threads} : new int[] {1}) {
                double rate = vidkit.text.TextBenchmark.sentencesPerSecond(m, t, text, repeats);
                System.out.printf(Locale.ROOT, "%-14s %8d %10d %16.1f%n", m.id(), t, text, rate);
            }
        }
        System.out.printf(Locale.ROOT, "(medians of %d passes after a warm-up; batches of %d sentences)%n", repeats,
                vidkit.text.OnnxTextEncoder.DEFAULT_BATCH);
        return 0;
    }

    private Integer searchBench() throws Exception {
        int threads = Options.computeThreads();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vidkit-bench");
        try {
            String data;
            float[] rows;
            float[] queries;
            int dim = searchDim;
            int queriesNeeded = Math.max(queryCount, java.util.Arrays.stream(batches).max().orElse(1));
            if (like != null) {
                try (var model = vidkit.index.EmbeddingLibrary.open(like)) {
                    dim = model.dim();
                    rows = vidkit.index.SearchBenchmark.likeLibrary(model, search, 7);
                    queries = vidkit.index.SearchBenchmark.likeLibrary(model, queriesNeeded, 8);
                    data = String.format(Locale.ROOT, "unit vectors from a Gaussian fitted to %s (%d rows)", like, model.size());
                }
            } else {
                rows = vidkit.index.SearchBenchmark.clustered(search, dim, 1000, 7);
                queries = vidkit.index.SearchBenchmark.clustered(queriesNeeded, dim, 1000, 8);
                data = "clustered unit vectors (1,000 random centres + isotropic noise)";
            }
            java.nio.file.Path file = dir.resolve("bench.vkemb");
            java.util.List<String> ids = new ArrayList<>(search);
            for (int i = 0; i < search; i++) {
                ids.add(Integer.toString(i));
            }
            vidkit.index.EmbeddingLibrary.write(file, ids, rows, dim);
            rows = null;
            try (var lib = vidkit.index.EmbeddingLibrary.open(file)) {
                System.out.printf(Locale.ROOT, "%,d x %d float32 (%.0f MB): %s; %d threads%n", lib.size(), dim,
                        4.0 * lib.size() * dim / 1e6, data, threads);
                var r = vidkit.index.SearchBenchmark.exact(lib, queries, threads, batches, repeats);
                System.out.printf(Locale.ROOT, "  streaming read of every row: %.2f GB/s -> bound for one query per pass: %.1f queries/s%n",
                        r.streamGigabytesPerSecond(), r.boundQueriesPerSecond());
                for (int i = 0; i < r.batchSizes().length; i++) {
                    System.out.printf(Locale.ROOT, "  exact top-10, batches of %3d queries: %8.1f queries/s (medians of %d runs)%n",
                            r.batchSizes()[i], r.queriesPerSecond()[i], repeats);
                }
                if (hnsw) {
                    vidkit.index.SearchBenchmark.HnswResult h;
                    try (IndexCommand.PhaseProgress progress = new IndexCommand.PhaseProgress()) {
                        h = vidkit.index.SearchBenchmark.hnsw(lib, dir.resolve("bench.hnsw"), new vidkit.index.HnswIndex.Params(16, 100, quantization),
                                queries, queryCount, threads, efs, progress);
                    }
                    System.out.printf(Locale.ROOT, "  HNSW (M 16, beam width 100, quantization " + quantization + ") built in %.1f s (%.0f vectors/s); %d queries, "
                            + "one at a time from %d threads:%n", h.buildSeconds(), h.vectors() / h.buildSeconds(), h.queries(), threads);
                    for (int i = 0; i < h.efs().length; i++) {
                        System.out.printf(Locale.ROOT, "    ef %4d: recall@10 %.4f  %8.1f queries/s%n", h.efs()[i], h.recallAt10()[i],
                                h.queriesPerSecond()[i]);
                    }
                }
            }
        } finally {
            try (var walk = java.nio.file.Files.walk(dir)) {
                for (var f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
        }
        return 0;
    }

    private Integer tfrecordBench() throws Exception {
        var shards = vidkit.data.Shards.resolve(tfrecord);
        int threads = Options.computeThreads();
        var options = frameLevel ? vidkit.data.Yt8mReader.Options.frameLevel(vidkit.data.Vocabulary.YT8M_CLASSES, 300)
                : vidkit.data.Yt8mReader.Options.videoLevel(vidkit.data.Vocabulary.YT8M_CLASSES);
        var r = vidkit.data.TfRecordBenchmark.run(shards, options, threads, repeats);
        System.out.printf(Locale.ROOT, "%d shards, %.1f MB, %d records; medians of %d passes after a warm-up (page cache)%n",
                shards.size(), r.bytes() / 1e6, r.records(), repeats);
        System.out.printf(Locale.ROOT, "  plain sequential read (1 thread):       %8.1f MB/s%n", r.plainMegabytesPerSecond());
        System.out.printf(Locale.ROOT, "  read + CRC + parse (1 thread):          %8.1f MB/s  %9.0f records/s  (%.0f%% of plain)%n",
                r.parseMegabytesPerSecond(), r.parseRecordsPerSecond(),
                100 * r.parseMegabytesPerSecond() / r.plainMegabytesPerSecond());
        System.out.printf(Locale.ROOT, "  read + CRC + parse (%d threads):         %8.1f MB/s  %9.0f records/s  (%.0f%% of plain)%n",
                r.threads(), r.parallelMegabytesPerSecond(), r.parallelRecordsPerSecond(),
                100 * r.parallelMegabytesPerSecond() / r.plainMegabytesPerSecond());
        return 0;
    }

    @Override
    public Integer call() throws Exception {
        if (tfrecord != null) {
            return tfrecordBench();
        }
        if (search != null) {
            return searchBench();
        }
        if (text != null) {
            return textBench();
        }
        if (extract != null) {
            return extractBench();
        }
        if (audioFiles != null) {
            return audioBench();
        }
        System.out.printf("%-10s %12s %16s %22s %20s%n", "model", "N x M", "scoring pairs/s", "runs (s)",
                "training samples/s");
        for (String m : models) {
            MatchingConfig config;
            List<String> set = new ArrayList<>(List.of("data=none"));
            if (m.endsWith(".json")) {
                set.addAll(overrides);
                config = MatchingConfig.load(Path.of(m), set);
            } else {
                set.add("model.type=" + m);
                set.addAll(overrides);
                config = MatchingConfig.load(null, set);
            }
            Benchmark.Result r = Benchmark.run(config, n, n, frames, videoDim, audioDim, repeats, trainSteps,
                    (model, manager) -> new vidkit.train.AdamOptimizer(config.optimizer(), model, manager)::step);
            StringBuilder runs = new StringBuilder();
            for (double s : r.scoringSeconds()) {
                runs.append(String.format(Locale.ROOT, "%.3f ", s));
            }
            System.out.printf(Locale.ROOT, "%-10s %12s %16.0f %22s %20.0f%n", r.model(), n + " x " + n,
                    r.scoringPairsPerSecond(), runs.toString().strip(), r.trainingSamplesPerSecond());
        }
        System.out.printf("threads: %s (PyTorch intra-op); batch size for training: from the config%n",
                System.getProperty("ai.djl.pytorch.num_threads", "all cores"));
        return 0;
    }
}
