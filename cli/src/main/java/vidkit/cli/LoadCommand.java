package vidkit.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.data.FeatureSet;
import vidkit.serve.LoadGenerator;
import vidkit.serve.MalformedRequests;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load-test a running vidkit server: closed-loop POST /v1/match with real clips' features at a fixed "
                + "concurrency (throughput, p50/p90/p99 latency), or --malformed N bad requests of many kinds (answers "
                + "by kind; any 5xx is a failure), then one valid request to show the server still answers correctly.")
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The server (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--videos", required = true, description = "A directory of video feature files ID.npy (the queries).")
    Path videos;

    @Option(names = "--concurrency", defaultValue = "16", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests", defaultValue = "5000", description = "Measured requests (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "500", description = "Unmeasured requests first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "-k", defaultValue = "10", description = "Hits per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--npy", description = "Send the features as .npy bodies (application/x-npy) instead of JSON.")
    boolean npy;

    @Option(names = "--malformed", description = "Instead: send this many malformed requests.")
    Integer malformed;

    @Option(names = "--duration", description = "Instead of --requests: a soak of this many seconds (e.g. 600), "
            + "summarized every --interval seconds with the server's resident memory and post-GC heap (from /metrics).")
    Double duration;

    @Option(names = "--interval", defaultValue = "60", description = "Soak report interval, seconds (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--token-file", description = "A file holding the server's API token (sent as a Bearer token).")
    Path tokenFile;

    @Option(names = "--truststore", description = "A PKCS#12 file whose certificates are trusted for an https --url "
            + "(the server's own keystore will do).")
    Path truststore;

    @Option(names = "--truststore-password", defaultValue = "", description = "Its password.")
    String truststorePassword;

    /** The client for the probe answers and /metrics, and the Authorization header: set up by {@link #call}. */
    private java.net.http.HttpClient client;
    private String auth;

    /** The Authorization header for --token-file, or null. */
    private String authorization() throws java.io.IOException {
        if (tokenFile == null) {
            return null;
        }
        String token = java.nio.file.Files.readString(tokenFile).strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
        }
        return "Bearer " + token;
    }

    /** An SSL context trusting --truststore's certificates, or the JDK's default one. */
    private javax.net.ssl.SSLContext tls() throws Exception {
        if (truststore == null) {
            return javax.net.ssl.SSLContext.getDefault();
        }
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(truststore)) {
            ks.load(in, truststorePassword.toCharArray());
        }
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public Integer call() throws Exception {
        javax.net.ssl.SSLContext tls = tls();
        client = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
        auth = authorization();
        FeatureSet set = FeatureSet.load(videos);
        List<LoadGenerator.Request> bodies = LoadGenerator.matchRequests(url, set, k, 1000);
        // the answer to the first clip before anything else, to compare with afterwards
        LoadGenerator.Request probe = bodies.get(0);
        String before = answer(probe);
        if (malformed != null) {
            if (auth != null || url.getScheme().equals("https")) {
                throw new IllegalArgumentException("--malformed sends its requests over plain HTTP without a token: run it "
                        + "against a server on loopback without authToken or TLS");
            }
            MalformedRequests.Result r = MalformedRequests.run(url, malformed, set.frames(), set.dim(), 1);
            System.out.printf(Locale.ROOT, "%d malformed requests of %d kinds -> statuses %s%n", r.sent(), r.byKind().size(),
                    r.statuses());
            MalformedRequests.describe(r).forEach(System.out::println);
            String after = answer(probe);
            boolean same = before.equals(after);
            System.out.printf("5xx answers: %d; a valid request afterwards answers %s%n", r.serverErrors(),
                    same ? "exactly as before the barrage" : "DIFFERENTLY: " + after);
            return r.serverErrors() == 0 && same ? 0 : 1;
        }
        List<LoadGenerator.Request> load = npy ? LoadGenerator.matchRequestsNpy(url, set, k, 1000) : bodies;
        LoadGenerator.Workload workload = new LoadGenerator.Workload(load, auth, tls.getSocketFactory());
        if (duration != null) {
            return soak(workload, load, before);
        }
        LoadGenerator.Result r = LoadGenerator.run(workload, concurrency, requests, warmup);
        System.out.printf(Locale.ROOT, "POST /v1/match, %d clips' features as %s (%.0f KB each), concurrency %d, %d requests "
                + "after %d warm-up:%n", load.size(), npy ? ".npy" : "JSON", load.get(0).body().length / 1024.0, concurrency,
                r.requests(), warmup);
        System.out.printf(Locale.ROOT, "  %.1f requests/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; statuses %s%n",
                r.requestsPerSecond(), r.p50Millis(), r.p90Millis(), r.p99Millis(), r.maxMillis(), r.statuses());
        return r.count(200) == r.requests() ? 0 : 1;
    }

    /**
     * The soak: closed-loop load for --duration seconds; per interval, throughput, p50/p99, errors,
     * and the server's resident memory and heap after its last GC. Passes (exit 0) when no request
     * failed, the memory at the end is within 10% of the memory after the first interval (warm-up
     * growth excluded), no interval's p99 exceeds 1.5 × the median interval's, and the first
     * clip's answer is unchanged.
     */
    private int soak(LoadGenerator.Workload workload, List<LoadGenerator.Request> load, String before) throws Exception {
        System.out.printf(Locale.ROOT, "soak: POST /v1/match, %d clips' features as %s, concurrency %d, %.0f s in %.0f-s "
                + "intervals%n", load.size(), npy ? ".npy" : "JSON", concurrency, duration, interval);
        System.out.println("interval   requests/s   p50 ms   p99 ms   max ms   errors   server RSS MB   heap after GC MB");
        List<long[]> memory = new java.util.ArrayList<>();
        List<LoadGenerator.Interval> intervals = LoadGenerator.soak(workload, concurrency, duration, interval, iv -> {
            long[] m = serverMemory();
            memory.add(m);
            System.out.printf(Locale.ROOT, "%8d %12.1f %8.2f %8.2f %8.1f %8d %15.1f %18.1f%n", iv.index(), iv.requestsPerSecond(),
                    iv.p50Millis(), iv.p99Millis(), iv.maxMillis(), iv.errors(), m[0] / 1048576.0, m[1] / 1048576.0);
        });
        long errors = intervals.stream().mapToLong(LoadGenerator.Interval::errors).sum();
        long total = intervals.stream().mapToLong(LoadGenerator.Interval::requests).sum();
        double[] p99 = intervals.stream().mapToDouble(LoadGenerator.Interval::p99Millis).sorted().toArray();
        double median = p99[p99.length / 2];
        double worst = p99[p99.length - 1];
        long[] first = memory.get(0);
        long[] last = memory.get(memory.size() - 1);
        double rssChange = (double) last[0] / first[0] - 1;
        double heapChange = first[1] > 0 ? (double) last[1] / first[1] - 1 : Double.NaN;
        String after = answer(load.get(0));
        boolean same = before.equals(after);
        System.out.printf(Locale.ROOT, "soak: %d requests (%.1f/s), %d errors; p99 median %.2f ms, worst interval %.2f ms "
                + "(%.2f × the median); server RSS %+.1f%% and heap after GC %+.1f%% from the end of interval 1 to the "
                + "end; the first clip's answer %s%n", total, total / duration, errors, median, worst, worst / median,
                100 * rssChange, 100 * heapChange, same ? "unchanged" : "CHANGED");
        boolean steady = worst <= 1.5 * median;
        boolean flat = Math.abs(rssChange) <= 0.10 && !(Math.abs(heapChange) > 0.10);
        System.out.println("soak: " + (errors == 0 && steady && flat && same ? "PASSED" : "FAILED")
                + " (no errors; p99 of every interval <= 1.5 × the median; memory within 10%; same answer)");
        return errors == 0 && steady && flat && same ? 0 : 1;
    }

    /** The server's resident memory and heap after its last GC, from /metrics ({-1, -1} when absent). */
    private long[] serverMemory() throws java.io.IOException {
        var b = java.net.http.HttpRequest.newBuilder(url.resolve("/metrics")).GET();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        String text;
        try {
            text = client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException(e);
        }
        long rss = -1;
        long heap = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("process_resident_memory_bytes ")) {
                rss = Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            } else if (line.startsWith("jvm_heap_after_gc_bytes ")) {
                heap = Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            }
        }
        return new long[] {rss, heap};
    }

    private String answer(LoadGenerator.Request r) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(r.uri()).header("Content-Type", r.contentType())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(r.body()));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        var response = client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException(r.uri() + " answered " + response.statusCode() + " to a valid request: "
                    + response.body());
        }
        // the hits (ids and scores), without the timing
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        return tree.get("hits").toString();
    }
}
