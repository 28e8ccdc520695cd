package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.serve.ServeConfig;
import vidkit.serve.Server;
import vidkit.serve.ServerWarmUp;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a two-tower run and its embedding library over HTTP (JSON API + web page): POST /v1/match, "
                + "/v1/tags, /v1/similar, /v1/similarity; GET /v1/items, /v1/items/{id}, /v1/info, /healthz, /metrics, /. "
                + "Options are the keys of a serve config (--config FILE, --set key=value); Ctrl-C stops gracefully.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "A serve config (JSON with \"type\": \"serve\").")
    Path config;

    @Option(names = "--set", description = "Override a config key (key=value), e.g. maxConcurrent=16.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--run", description = "The twotower or cca run (config key run).")
    String run;

    @Option(names = "--library", description = "The audio embedding library (library).")
    String library;

    @Option(names = "--index", description = "An HNSW index of the library (index).")
    String index;

    @Option(names = "--video-library", description = "A video embedding library for /v1/similar (videoLibrary).")
    String videoLibrary;

    @Option(names = "--similarity", description = "A similarity run whose embeddings --video-library holds: embeds "
            + "/v1/similar's query features; with it, run and library may be left out (similarity).")
    String similarity;

    @Option(names = "--video-data", description = "YouTube-8M shards holding the video library's videos: their label "
            + "names go with every neighbour (videoData).")
    String videoData;

    @Option(names = "--vocabulary", description = "YouTube-8M vocabulary.csv: names of --video-data's labels (vocabulary).")
    String vocabulary;

    @Option(names = "--features", description = "A paired dataset directory: items by id, re-ranking, the page (features).")
    String features;

    @Option(names = "--tagger", description = "A tagging run for /v1/tags (tagger).")
    String tagger;

    @Option(names = "--answerer", description = "A question-answering run for /v1/ask and the page's question box (answerer).")
    String answerer;

    @Option(names = "--rerank", description = "A cross-model matching run to re-rank with (rerank).")
    String rerank;

    @Option(names = "--port", description = "TCP port (port; default 8080, 0 = any free port).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        List<String> sets = new ArrayList<>();
        add(sets, "run", run);
        add(sets, "library", library);
        add(sets, "index", index);
        add(sets, "videoLibrary", videoLibrary);
        add(sets, "similarity", similarity);
        add(sets, "videoData", videoData);
        add(sets, "vocabulary", vocabulary);
        add(sets, "features", features);
        add(sets, "tagger", tagger);
        add(sets, "answerer", answerer);
        add(sets, "rerank", rerank);
        add(sets, "port", port == null ? null : port.toString());
        sets.addAll(overrides);
        ServeConfig c = ServeConfig.load(config, sets);
        // concurrency comes from the encoder threads and the requests: one PyTorch thread per call
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.out.println("vidkit serve: loading, then warming up over loopback (until the JIT is quiet, at most " + c.warmupQueries() + " requests) ...");
        long t0 = System.nanoTime();
        Server server = Server.start(c);
        ServerWarmUp.Report w = server.warmUpReport();
        System.out.printf(java.util.Locale.ROOT, "vidkit serve: ready in %.1f s (warm-up: %d requests in %.1f s, JIT %.1f s)%n",
                (System.nanoTime() - t0) / 1e9, w.requests(), w.seconds(), w.jitSeconds());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("vidkit serve: stopping (requests in flight get " + c.shutdownGraceSeconds() + " s)");
            server.close();
            stopped.countDown();
        }, "vidkit-serve-shutdown"));
        System.out.println("vidkit serve: listening on " + server.baseUri() + "/ (Ctrl-C stops)");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static void add(List<String> sets, String key, String value) {
        if (value != null) {
            sets.add(key + "=" + value);
        }
    }
}
