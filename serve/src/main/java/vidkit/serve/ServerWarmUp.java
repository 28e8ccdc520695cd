package vidkit.serve;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A starting server's warm-up: {@link LoadGenerator} requests to its own port over loopback HTTP
 * until the JIT has gone quiet (see {@link #run}). Kept out of {@link Server}, which only calls it.
 */
public final class ServerWarmUp {
    private ServerWarmUp() {}

    /** Requests per warm-up round: the unit in which {@link #run} checks whether the JIT has gone quiet. */
    static final int WARMUP_ROUND = 1000;
    /** Distinct clips the warm-up sends (searches that visit many parts of the graph, as real ones do). */
    static final int WARMUP_CLIPS = 256;
    /** Warm-up requests always sent (unless {@link ServeConfig#warmupQueries()} is smaller). */
    static final int WARMUP_MINIMUM = 2000;
    /** The JIT counts as quiet when it compiled for less than this share of a round's wall time × cores. */
    static final double WARMUP_QUIET_SHARE = 0.05;
    /** Quiet rounds in a row that end the warm-up (the C2 compiler works in bursts). */
    static final int WARMUP_QUIET_ROUNDS = 3;

    /**
     * What the warm-up did.
     *
     * @param jitSeconds time the JIT compilers spent during the warm-up (NaN where the JVM does not say)
     */
    public record Report(int requests, double seconds, double jitSeconds) {}

    /**
     * Sends {@code POST /v1/match} requests to this server over loopback HTTP — three JSON bodies to
     * one .npy, from up to 16 keep-alive connections — through the same path users take (the JDK
     * server, the body readers, the batching encoder, the search, the JSON writer), so the JIT has
     * compiled that path, with the branches real requests take, before the first user arrives. The
     * bodies are the features dataset's first {@link #WARMUP_CLIPS} clips when there is one (else
     * Gaussian features).
     *
     * <p>How much is enough is measured, not guessed: requests go in rounds of {@link #WARMUP_ROUND},
     * and the warm-up stops after {@link #WARMUP_QUIET_ROUNDS} rounds in a row in which the JIT
     * compilers worked less than {@link #WARMUP_QUIET_SHARE} of the round's wall time × cores (at
     * least {@link #WARMUP_MINIMUM} requests, at most {@code maxQueries}). On 2 busy cores the C2
     * compiler works in bursts for 20,000–40,000 requests (about 20–30 s of compiler CPU with the
     * 100,000-item library) before throughput stops rising, so there the cap usually ends it; with
     * the old 2,000 in-process queries the first users saw about 1.5× the steady-state p99.
     *
     * <p>Warm-up requests are not counted in {@code /metrics}. A warm-up request answered with
     * anything but 200 (or 503, when other clients hold the permits) fails the start.
     */
    static Report run(Service service, URI base, int maxConcurrent, int maxQueries, String authorization,
            javax.net.ssl.SSLContext tls) throws IOException {
        if (maxQueries == 0 || !service.hasMatcher()) { // a similar-videos-only server has no matching model to warm
            return new Report(0, 0, 0);
        }
        int frames = service.frames();
        int dim = service.videoDim();
        java.util.Random random = new java.util.Random(1);
        List<String> ids = service.hasFeatures() ? service.itemIds() : List.of();
                List<LoadGenerator.Request> requests = new ArrayList<>();
        for (int c = 0; c < WARMUP_CLIPS; c++) {
            float[] features;
            if (c < ids.size()) {
                try {
                    features = service.videoFeatures(ids.get(c), "id");
                } catch (ServiceException e) {
                    throw new IOException("warm-up: " + e.getMessage(), e);
                }
            } else {
                features = new float[frames * dim];
                for (int i = 0; i < features.length; i++) {
                    features[i] = (float) random.nextGaussian();
                }
            }
            requests.add(c % 4 == 3 ? LoadGenerator.matchRequestNpy(base, frames, dim, features, 10)
                    : LoadGenerator.matchRequest(base, frames, dim, features, 10));
        }
        // encoded once for all rounds; with the server's token and over its TLS when it has them
        LoadGenerator.Workload workload = new LoadGenerator.Workload(requests, authorization,
                tls == null ? null : tls.getSocketFactory());
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        int cores = Runtime.getRuntime().availableProcessors();
        int connections = Math.min(16, maxConcurrent);
        long t0 = System.nanoTime();
        long jit0 = jitTimed ? jit.getTotalCompilationTime() : 0;
        int sent = 0;
        int quietRounds = 0;
        while (sent < maxQueries) {
            int round = Math.min(WARMUP_ROUND, maxQueries - sent);
            long roundStart = System.nanoTime();
            long jitStart = jitTimed ? jit.getTotalCompilationTime() : 0;
            LoadGenerator.Result r = LoadGenerator.run(workload, connections, round, 0);
            // 503 "saturated" is allowed: users' requests (a health check, an early client) may hold permits too
            if (r.count(200) + r.count(503) != round || r.count(200) == 0) {
                throw new IOException("warm-up: " + round + " match requests over loopback got statuses " + r.statuses());
            }
            sent += round;
            double wallMillis = (System.nanoTime() - roundStart) / 1e6;
            boolean quiet = jitTimed && jit.getTotalCompilationTime() - jitStart < WARMUP_QUIET_SHARE * wallMillis * cores;
            quietRounds = quiet ? quietRounds + 1 : 0;
            if (sent >= WARMUP_MINIMUM && quietRounds >= WARMUP_QUIET_ROUNDS) {
                break;
            }
        }
        return new Report(sent, (System.nanoTime() - t0) / 1e9, jitTimed ? (jit.getTotalCompilationTime() - jit0) / 1e3 : Double.NaN);
    }
}
