package vidkit.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;

/**
 * The HTTP server: JSON over HTTP/1.1 on the JDK's {@code com.sun.net.httpserver}, the routes of
 * {@link Service}, the web page, {@code /healthz} and {@code /metrics}.
 *
 * <p>Limits: a body above {@link ServeConfig#maxBodyBytes()} is refused with 413 (by its {@code
 * Content-Length} before reading, or while reading a chunked body); at most {@link
 * ServeConfig#maxConcurrent()} requests are handled at once and the rest are answered 503 with
 * {@code Retry-After: 1} at once; clients get {@link ServeConfig#requestTimeoutSeconds()} to send a
 * request and to take its response (the JDK server's {@code sun.net.httpserver.maxReqTime} and
 * {@code maxRspTime}, set before the first server of the JVM starts). Every refusal is a JSON
 * {@code {"error": {"status", "type", "field", "message"}}}; an unexpected failure is a 500 of the
 * same shape, counted in {@code /metrics} (the malformed-request test asserts there are none).
 *
 * <p>{@link #close()} stops gracefully: the listener closes at once, requests in flight get {@link
 * ServeConfig#shutdownGraceSeconds()} to finish, then the models are released.
 */
public final class Server implements AutoCloseable {
    static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final Set<String> FEATURES = Set.of("features");
    private static final Set<String> MATCH_FIELDS = Set.of("id", "k", "rerank");
    private static final Set<String> SIMILAR_FIELDS = Set.of("id", "k");
    private static final Set<String> TAG_MATRICES = Set.of("visual", "audio");
    private static final Set<String> TAG_FIELDS = Set.of("id", "k");
    private static final Set<String> SIMILARITY_FIELDS = Set.of("ids");
    /** Clips in one similarity request. */
    static final int MAX_SIMILARITY_IDS = 64;

    /** Requests per warm-up round: the unit in which {@link #warmUp} checks whether the JIT has gone quiet. */
    static final int WARMUP_ROUND = 1000;
    /** Distinct clips the warm-up sends (searches that visit many parts of the graph, as real ones do). */
    static final int WARMUP_CLIPS = 256;
    /** Warm-up requests always sent (unless {@link ServeConfig#warmupQueries()} is smaller). */
    static final int WARMUP_MINIMUM = 2000;
    /** The JIT counts as quiet when it compiled for less than this share of a round's wall time × cores. */
    static final double WARMUP_QUIET_SHARE = 0.05;
    /** Quiet rounds in a row that end the warm-up (the C2 compiler works in bursts). */
    static final int WARMUP_QUIET_ROUNDS = 3;

    private final Service service;
    private final ServeConfig config;
    private final HttpServer http;
    private final ThreadPoolExecutor executor;
    private final Semaphore permits;
    private final Metrics metrics = new Metrics();
    private final ObjectMapper json;
    private final long started = System.nanoTime();
    private volatile boolean stopping;
    /** True until {@link #start} has warmed the server up: {@code /healthz} says so, {@code /metrics} counts nothing. */
    private volatile boolean warming = true;

    private Server(Service service) throws IOException {
        this.service = service;
        this.config = service.config();
        this.permits = new Semaphore(config.maxConcurrent());
        this.json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                .maxNumberLength(64).maxStringLength(1 << 20).build());
        // answers go out at once (the JDK server writes headers and body separately; with Nagle's
        // algorithm the second write could wait for a delayed ACK)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(config.requestTimeoutSeconds()));
        System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(config.requestTimeoutSeconds()));
        AtomicInteger n = new AtomicInteger();
        // a few threads beyond the permits answer 503 quickly while the permitted ones compute
        int threads = config.maxConcurrent() + 4;
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "vidkit-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
        this.http.setExecutor(executor);
        this.http.createContext("/", this::handle);
    }

    /**
     * Loads the service, starts listening and warms it up ({@link ServeConfig#warmupQueries()}); returns
     * once the server is warm. While it warms, {@code /healthz} answers 503 {@code "warming"}.
     */
    public static Server start(ServeConfig config) throws IOException {
        Service service = Service.open(config);
        Server s;
        try {
            s = new Server(service);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        try {
            s.http.start();
            s.warmUpReport = s.warmUp(config.warmupQueries());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        s.warming = false;
        return s;
    }

    /**
     * What the warm-up did.
     *
     * @param jitSeconds time the JIT compilers spent during the warm-up (NaN where the JVM does not say)
     */
    public record WarmUp(int requests, double seconds, double jitSeconds) {}

    private WarmUp warmUpReport = new WarmUp(0, 0, 0);

    /** What the warm-up did (zeros when {@link ServeConfig#warmupQueries()} is 0). */
    public WarmUp warmUpReport() {
        return warmUpReport;
    }

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
    private WarmUp warmUp(int maxQueries) throws IOException {
        if (maxQueries == 0) {
            return new WarmUp(0, 0, 0);
        }
        int frames = service.frames();
        int dim = service.videoDim();
        java.util.Random random = new java.util.Random(1);
        List<String> ids = service.hasFeatures() ? service.itemIds() : List.of();
        URI base = loopbackUri();
        List<LoadGenerator.Request> requests = new ArrayList<>();
        for (int c = 0; c < WARMUP_CLIPS; c++) {
            float[] features;
            if (c < ids.size()) {
                try {
                    features = service.videoFeatures(ids.get(c), "id");
                } catch (ApiException e) {
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
        LoadGenerator.Workload workload = new LoadGenerator.Workload(requests); // encoded once for all rounds
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        int cores = Runtime.getRuntime().availableProcessors();
        int connections = Math.min(16, config.maxConcurrent());
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
        return new WarmUp(sent, (System.nanoTime() - t0) / 1e9, jitTimed ? (jit.getTotalCompilationTime() - jit0) / 1e3 : Double.NaN);
    }

    /** This server's address as a client on this machine reaches it (loopback when bound to the wildcard address). */
    private URI loopbackUri() {
        InetSocketAddress a = http.getAddress();
        java.net.InetAddress host = a.getAddress().isAnyLocalAddress() ? java.net.InetAddress.getLoopbackAddress() : a.getAddress();
        String h = host.getHostAddress();
        return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort());
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port());
    }

    Metrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        http.stop(config.shutdownGraceSeconds());
        executor.shutdown();
        try {
            executor.awaitTermination(config.shutdownGraceSeconds() + 1L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        service.close();
    }

    // ---- dispatch ------------------------------------------------------------------------------

    private record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response json(int status, byte[] body) {
            return new Response(status, JSON_TYPE, body, Map.of());
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        metrics.enter();
        String route = "unmatched";
        int status = 500;
        boolean permitted = permits.tryAcquire();
        try {
            Response r;
            if (!permitted) {
                metrics.rejected();
                route = "saturated";
                r = error(new ApiException(503, "saturated", null, "the server is handling " + config.maxConcurrent()
                        + " requests; retry shortly"));
                r = new Response(r.status(), r.contentType(), r.body(), Map.of("Retry-After", "1"));
            } else if (stopping) {
                r = error(new ApiException(503, "stopping", null, "the server is shutting down"));
            } else {
                String path = ex.getRequestURI().getRawPath();
                route = routeOf(path);
                try {
                    r = dispatch(ex, route, path);
                } catch (ApiException e) {
                    r = error(e);
                    if (e.status() == 405) {
                        r = new Response(r.status(), r.contentType(), r.body(), Map.of("Allow", allowed(route)));
                    }
                } catch (InvalidDataException e) {
                    r = error(ApiException.badRequest("invalid_data", null, e.getMessage()));
                } catch (RuntimeException | IOException e) {
                    System.err.println("vidkit serve: " + ex.getRequestMethod() + " " + path + " failed: " + e);
                    e.printStackTrace();
                    r = error(new ApiException(500, "internal", null, "internal error: " + e.getClass().getSimpleName()));
                }
            }
            status = r.status();
            // the permit bounds the computing, not the writing: released before the answer goes out,
            // so a client that sends its next request as soon as it has the answer never meets its
            // own previous request still holding a permit
            if (permitted) {
                permitted = false;
                permits.release();
            }
            send(ex, r);
        } finally {
            if (permitted) {
                permits.release();
            }
            metrics.leave();
            if (!warming) {
                metrics.record(route, ex.getRequestMethod(), status, (System.nanoTime() - t0) / 1e9);
            }
            ex.close();
        }
    }

    /** The route pattern of a path (what metrics are labelled with). */
    static String routeOf(String path) {
        if (path.startsWith("/v1/items/")) {
            return "/v1/items/{id}";
        }
        return switch (path) {
            case "/", "/index.html", "/app.js", "/style.css" -> "page";
            case "/healthz", "/metrics", "/v1/match", "/v1/tags", "/v1/similar", "/v1/similarity", "/v1/items", "/v1/info" -> path;
            default -> "unmatched";
        };
    }

    private Response dispatch(HttpExchange ex, String route, String path) throws ApiException, IOException {
        String method = ex.getRequestMethod();
        return switch (route) {
            case "page" -> {
                requireMethod(method, "GET");
                yield page(path.equals("/") ? "/index.html" : path);
            }
            case "/healthz" -> {
                requireMethod(method, "GET");
                ObjectNode o = json.createObjectNode();
                o.put("status", warming ? "warming" : "ok");
                o.put("uptimeSeconds", (System.nanoTime() - started) / 1e9);
                yield warming ? new Response(503, JSON_TYPE, json.writeValueAsBytes(o), Map.of("Retry-After", "1")) : ok(o);
            }
            case "/metrics" -> {
                requireMethod(method, "GET");
                yield new Response(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8),
                        Map.of());
            }
            case "/v1/info" -> {
                requireMethod(method, "GET");
                yield ok(info());
            }
            case "/v1/items" -> {
                requireMethod(method, "GET");
                yield ok(items(query(ex)));
            }
            case "/v1/items/{id}" -> {
                requireMethod(method, "GET");
                String id = URLDecoder.decode(path.substring("/v1/items/".length()), StandardCharsets.UTF_8);
                Service.Item item = service.item(id);
                if (item == null) {
                    throw new ApiException(404, "unknown_id", "id", "no item '" + id + "'");
                }
                yield ok(json.valueToTree(item));
            }
            case "/v1/match" -> {
                requireMethod(method, "POST");
                yield ok(match(ex));
            }
            case "/v1/similar" -> {
                requireMethod(method, "POST");
                yield ok(similar(body(ex, FEATURES, SIMILAR_FIELDS)));
            }
            case "/v1/tags" -> {
                requireMethod(method, "POST");
                yield ok(tags(body(ex, TAG_MATRICES, TAG_FIELDS)));
            }
            case "/v1/similarity" -> {
                requireMethod(method, "POST");
                yield ok(similarity(body(ex, Set.of(), SIMILARITY_FIELDS)));
            }
            default -> throw new ApiException(404, "not_found", null, "no route " + path + "; see GET /v1/info");
        };
    }

    /** The one method a route takes (the {@code Allow} header of a 405). */
    static String allowed(String route) {
        return switch (route) {
            case "/v1/match", "/v1/tags", "/v1/similar", "/v1/similarity" -> "POST";
            default -> "GET";
        };
    }

    private static void requireMethod(String method, String allowed) throws ApiException {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "method_not_allowed", null, method + " is not allowed here; use " + allowed);
        }
    }

    // ---- endpoints -----------------------------------------------------------------------------

    private ObjectNode info() {
        ObjectNode o = json.createObjectNode();
        o.put("frames", service.frames());
        o.put("videoDim", service.videoDim());
        o.put("audioDim", service.audioDim());
        o.put("libraryItems", service.audioLibrary().size());
        o.put("search", service.config().index() == null ? "exact" : "hnsw");
        o.put("tagger", service.hasTagger());
        if (service.hasTagger()) {
            o.put("taggerVisualDim", service.taggerDims()[0]);
            o.put("taggerAudioDim", service.taggerDims()[1]);
        }
        o.put("reranker", service.hasReranker());
        o.put("videoLibrary", service.hasVideoLibrary());
        o.put("features", service.hasFeatures());
        o.put("maxK", config.maxK());
        o.put("maxBodyBytes", config.maxBodyBytes());
        return o;
    }

    private ObjectNode items(Map<String, String> query) throws ApiException {
        int offset = intParam(query, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(query, "limit", 50, 1, 1000);
        String prefix = query.getOrDefault("prefix", "");
        List<String> ids = service.itemIds().stream().filter(s -> s.startsWith(prefix)).toList();
        ObjectNode o = json.createObjectNode();
        o.put("total", ids.size());
        ArrayNode arr = o.putArray("items");
        for (int i = offset; i < Math.min(ids.size(), (long) offset + limit); i++) {
            arr.add(json.valueToTree(service.item(ids.get(i))));
        }
        return o;
    }

    private ObjectNode match(HttpExchange ex) throws ApiException, IOException {
        String type = contentType(ex);
        float[] features;
        int k;
        boolean rerank;
        if (type.equals("application/x-npy")) {
            Map<String, String> q = query(ex);
            byte[] bytes = readBody(ex);
            features = npyFeatures(bytes, service.frames(), service.videoDim());
            k = intParam(q, "k", 10, 1, config.maxK());
            rerank = boolParam(q, "rerank");
        } else {
            RequestBody b = RequestBody.parse(readBody(ex), FEATURES, MATCH_FIELDS);
            features = videoFeaturesOf(b);
            k = intField(b, "k", 10, config.maxK());
            rerank = boolField(b, "rerank");
        }
        long t0 = System.nanoTime();
        Service.MatchResult r = service.match(features, k, rerank);
        ObjectNode o = json.createObjectNode();
        o.put("search", r.search());
        o.put("reranked", r.reranked());
        o.set("hits", hits(r.hits()));
        o.put("tookMillis", (System.nanoTime() - t0) / 1e6);
        return o;
    }

    private ObjectNode similar(RequestBody b) throws ApiException, IOException {
        int k = intField(b, "k", 10, config.maxK());
        boolean byId = b.has("id");
        if (byId == b.has("features")) {
            throw ApiException.badRequest("missing_field", "id", "give exactly one of 'id' (a video of the video library) "
                    + "or 'features' ([" + service.frames() + "][" + service.videoDim() + "] numbers)");
        }
        List<Service.Hit> hits = byId ? service.similar(service.videoEmbedding(text(b, "id")), k, text(b, "id"))
                : service.similar(service.embedVideo(b.matrix("features", service.frames(), service.videoDim())), k, null);
        ObjectNode o = json.createObjectNode();
        o.set("hits", hits(hits));
        return o;
    }

    private ObjectNode tags(RequestBody b) throws ApiException {
        int k = intField(b, "k", 5, config.maxK());
        if (!service.hasTagger()) {
            throw new ApiException(409, "no_tagger", null, "this server has no tagger (start it with --tagger RUN)");
        }
        int[] dims = service.taggerDims();
        float[] visual;
        float[] audio;
        int frames;
        if (b.has("id")) {
            if (b.has("visual") || b.has("audio")) {
                throw ApiException.badRequest("conflicting_fields", "id", "give 'id' or 'visual' + 'audio', not both");
            }
            String id = text(b, "id");
            visual = service.videoFeatures(id, "id");
            audio = service.audioFeatures(id, "id");
            if (service.videoDim() != dims[0] || service.audioDim() != dims[1]) {
                throw new ApiException(409, "feature_mismatch", "id", "the features dataset does not have the tagger's "
                        + "feature sizes; send 'visual' and 'audio'");
            }
            frames = service.frames();
        } else {
            if (!b.has("visual") || !b.has("audio")) {
                throw ApiException.badRequest("missing_field", b.has("visual") ? "audio" : "visual",
                        "give 'id', or 'visual' [frames][" + dims[0] + "] and 'audio' [frames][" + dims[1] + "]");
            }
            RequestBody.Matrix v = b.matrices.get("visual");
            frames = v.rows();
            if (frames < 1 || frames > 10_000) {
                throw ApiException.badRequest("bad_shape", "visual", "expected 1 to 10,000 frames, got " + frames);
            }
            visual = b.matrix("visual", frames, dims[0]);
            audio = b.matrix("audio", frames, dims[1]);
        }
        List<Service.Tag> tags = service.tags(visual, audio, frames, k);
        ObjectNode o = json.createObjectNode();
        ArrayNode arr = o.putArray("tags");
        for (Service.Tag t : tags) {
            ObjectNode e = arr.addObject();
            e.put("index", t.index());
            e.put("name", t.name());
            e.put("score", t.score());
        }
        return o;
    }

    private ObjectNode similarity(RequestBody b) throws ApiException {
        JsonNode ids = b.scalars.get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_SIMILARITY_IDS) {
            throw ApiException.badRequest("bad_field", "ids", "expected an array of 1 to " + MAX_SIMILARITY_IDS + " item ids");
        }
        List<String> list = new java.util.ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw ApiException.badRequest("bad_field", "ids", "every id must be a string, got " + id.getNodeType());
            }
            list.add(id.asText());
        }
        float[][] s = service.similarity(list);
        ObjectNode o = json.createObjectNode();
        o.set("ids", ids);
        ArrayNode m = o.putArray("matrix");
        for (float[] row : s) {
            ArrayNode r = m.addArray();
            for (float v : row) {
                r.add(v);
            }
        }
        return o;
    }

    private ArrayNode hits(List<Service.Hit> hits) {
        ArrayNode arr = json.createArrayNode();
        int rank = 1;
        for (Service.Hit h : hits) {
            ObjectNode e = arr.addObject();
            e.put("rank", rank++);
            e.put("id", h.id());
            e.put("score", h.score());
        }
        return arr;
    }

    // ---- request parsing -----------------------------------------------------------------------

    private static String contentType(HttpExchange ex) throws ApiException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null) {
            return "application/json";
        }
        String base = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json") && !base.equals("application/x-npy")) {
            throw new ApiException(415, "unsupported_media_type", null, "Content-Type " + base
                    + " is not accepted; send application/json (or application/x-npy to /v1/match)");
        }
        return base;
    }

    private byte[] readBody(HttpExchange ex) throws ApiException, IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        long n = -1;
        if (length != null) {
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw ApiException.badRequest("bad_header", "Content-Length", "not a byte count: " + length);
            }
            if (n > config.maxBodyBytes()) {
                throw new ApiException(413, "body_too_large", null, "the body has " + n + " bytes; at most "
                        + config.maxBodyBytes() + " are accepted");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            if (n >= 0) {
                // one array of the announced size (no growing buffers and copies); the JDK server
                // gives no more than Content-Length bytes
                byte[] b = new byte[(int) n];
                int got = 0;
                try {
                    for (int r; got < b.length && (r = in.read(b, got, b.length - got)) > 0; ) {
                        got += r;
                    }
                } catch (IOException e) {
                    // the JDK server's fixed-length stream throws when the connection ends early
                }
                if (got < b.length) {
                    throw ApiException.badRequest("truncated_body", null, "the body ended after " + got + " of the "
                            + b.length + " bytes its Content-Length announced");
                }
                return b;
            }
            byte[] b;
            try {
                b = in.readNBytes(config.maxBodyBytes() + 1);
            } catch (IOException e) {
                throw ApiException.badRequest("truncated_body", null, "the chunked body could not be read to its end: "
                        + e.getMessage());
            }
            if (b.length > config.maxBodyBytes()) {
                throw new ApiException(413, "body_too_large", null, "the body is larger than " + config.maxBodyBytes()
                        + " bytes");
            }
            return b;
        }
    }

    private RequestBody body(HttpExchange ex, Set<String> matrices, Set<String> fields) throws ApiException, IOException {
        if (!contentType(ex).equals("application/json")) {
            throw new ApiException(415, "unsupported_media_type", null, "this route takes application/json");
        }
        return RequestBody.parse(readBody(ex), matrices, fields);
    }

    /** {@code features} as {@code [frames][videoDim]}, or the stored features of {@code id}. */
    private float[] videoFeaturesOf(RequestBody b) throws ApiException {
        boolean byId = b.has("id");
        if (byId == b.has("features")) {
            throw ApiException.badRequest("missing_field", "features", "give exactly one of 'features' ([" + service.frames()
                    + "][" + service.videoDim() + "] numbers) or 'id' (a clip of the features dataset)");
        }
        return byId ? service.videoFeatures(text(b, "id"), "id") : b.matrix("features", service.frames(), service.videoDim());
    }

    private static String text(RequestBody b, String field) throws ApiException {
        JsonNode n = b.scalars.get(field);
        if (n == null || !n.isTextual()) {
            throw ApiException.badRequest("bad_field", field, "expected a string");
        }
        return n.asText();
    }

    /** The single {@code [frames, dim]} float array of an .npy body. */
    private static float[] npyFeatures(byte[] bytes, int frames, int dim) throws ApiException {
        NpyArray a;
        try {
            a = Npy.parse(Path.of("request body"), bytes);
        } catch (InvalidDataException e) {
            throw ApiException.badRequest("bad_npy", null, e.getMessage());
        }
        int[] shape = a.shape();
        if (shape.length != 2 || shape[0] != frames || shape[1] != dim) {
            throw ApiException.badRequest("bad_shape", "features", "the .npy holds " + java.util.Arrays.toString(shape)
                    + "; expected [" + frames + ", " + dim + "]");
        }
        float[] f;
        try {
            f = a.asFloats();
        } catch (RuntimeException e) {
            throw ApiException.badRequest("bad_npy", "features", e.getMessage());
        }
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                throw ApiException.badRequest("non_finite", "features", "value " + i + " is " + f[i]);
            }
        }
        return f;
    }

    private static int intField(RequestBody b, String field, int dflt, int max) throws ApiException {
        JsonNode n = b.scalars.get(field);
        if (n == null) {
            return dflt;
        }
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > max) {
            throw ApiException.badRequest("bad_field", field, "expected an integer in [1, " + max + "], got " + n);
        }
        return n.asInt();
    }

    private static boolean boolField(RequestBody b, String field) throws ApiException {
        JsonNode n = b.scalars.get(field);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest("bad_field", field, "expected true or false, got " + n);
        }
        return n.asBoolean();
    }

    private static Map<String, String> query(HttpExchange ex) throws ApiException {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                q.put(key, value);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_query", null, "malformed query string: " + e.getMessage());
            }
        }
        return q;
    }

    private static int intParam(Map<String, String> q, String key, int dflt, int min, int max) throws ApiException {
        String v = q.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_query", key, "expected an integer in [" + min + ", " + max + "], got '" + v + "'");
        }
    }

    private static boolean boolParam(Map<String, String> q, String key) throws ApiException {
        String v = q.get(key);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest("bad_query", key, "expected true or false, got '" + v + "'");
        };
    }

    // ---- responses -----------------------------------------------------------------------------

    private Response ok(JsonNode body) throws IOException {
        return Response.json(200, json.writeValueAsBytes(body));
    }

    private Response error(ApiException e) {
        ObjectNode o = json.createObjectNode();
        ObjectNode err = o.putObject("error");
        err.put("status", e.status());
        err.put("type", e.type());
        if (e.field() != null) {
            err.put("field", e.field());
        }
        err.put("message", e.getMessage());
        try {
            return Response.json(e.status(), json.writeValueAsBytes(o));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private Response page(String path) throws ApiException, IOException {
        String name = path.substring(1);
        try (InputStream in = Server.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new ApiException(404, "not_found", null, "no page " + path);
            }
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
            return new Response(200, type, in.readAllBytes(), Map.of());
        }
    }

    private static void send(HttpExchange ex, Response r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        for (var h : r.headers().entrySet()) {
            ex.getResponseHeaders().set(h.getKey(), h.getValue());
        }
        if (r.status() == 413 || r.status() == 503) {
            ex.getResponseHeaders().set("Connection", "close"); // the unread body must not be taken for the next request
        }
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        } catch (IOException e) {
            // the client went away while we answered; nothing more to do for this exchange
        }
    }
}
