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

    @Override
    public Integer call() throws Exception {
        FeatureSet set = FeatureSet.load(videos);
        List<LoadGenerator.Request> bodies = LoadGenerator.matchRequests(url, set, k, 1000);
        // the answer to the first clip before anything else, to compare with afterwards
        LoadGenerator.Request probe = bodies.get(0);
        String before = answer(probe);
        if (malformed != null) {
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
        LoadGenerator.Result r = LoadGenerator.run(load, concurrency, requests, warmup);
        System.out.printf(Locale.ROOT, "POST /v1/match, %d clips' features as %s (%.0f KB each), concurrency %d, %d requests "
                + "after %d warm-up:%n", load.size(), npy ? ".npy" : "JSON", load.get(0).body().length / 1024.0, concurrency,
                r.requests(), warmup);
        System.out.printf(Locale.ROOT, "  %.1f requests/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; statuses %s%n",
                r.requestsPerSecond(), r.p50Millis(), r.p90Millis(), r.p99Millis(), r.maxMillis(), r.statuses());
        return r.count(200) == r.requests() ? 0 : 1;
    }

    private static String answer(LoadGenerator.Request r) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(r.uri()).header("Content-Type", r.contentType())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(r.body())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException(r.uri() + " answered " + response.statusCode() + " to a valid request: "
                    + response.body());
        }
        // the hits (ids and scores), without the timing
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        return tree.get("hits").toString();
    }
}
