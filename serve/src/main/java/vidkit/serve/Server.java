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
import java.util.LinkedHashMap;
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
 * Content-Length} before reading, or while reading a chunked body; a refused body up to twice the
 * limit is read and discarded first, so that a client still sending sees the 413 rather than a
 * reset connection; a larger one is cut off by closing the connection); at most {@link
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
    private static final Set<String> ASK_FIELDS = Set.of("id", "k", "question");
    private static final Set<String> SIMILARITY_FIELDS = Set.of("ids");
    /** Clips in one similarity request. */
    static final int MAX_SIMILARITY_IDS = 64;

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

    /** The API token and TLS identity. */
    private final Access access;
    /** Where each request is logged, or null. */
    private final AccessLog accessLog;
    private final java.util.concurrent.atomic.AtomicLong requestIds = new java.util.concurrent.atomic.AtomicLong();

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
        this.access = Access.of(config);
        this.accessLog = AccessLog.open(config.accessLog());
        InetSocketAddress bind = new InetSocketAddress(config.host(), config.port());
        if (access.serverContext() != null) {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(bind, 256);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(access.serverContext()));
            this.http = https;
        } else {
            this.http = HttpServer.create(bind, 256);
        }
        this.http.setExecutor(executor);
        declareRoutes();
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
            s.warmUpReport = ServerWarmUp.run(s.service, s.loopbackUri(), config.maxConcurrent(), config.warmupQueries(),
                    s.access.authorization(), s.access.clientContext());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        s.warming = false;
        return s;
    }

    private ServerWarmUp.Report warmUpReport = new ServerWarmUp.Report(0, 0, 0);

    /** What the warm-up did (zeros when {@link ServeConfig#warmupQueries()} is 0). */
    public ServerWarmUp.Report warmUpReport() {
        return warmUpReport;
    }

    /** This server's address as a client on this machine reaches it (loopback when bound to the wildcard address). */
    private URI loopbackUri() {
        InetSocketAddress a = http.getAddress();
        java.net.InetAddress host = a.getAddress().isAnyLocalAddress() ? java.net.InetAddress.getLoopbackAddress() : a.getAddress();
        String h = host.getHostAddress();
        return URI.create(scheme() + "://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort());
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create(scheme() + "://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":"
                + port());
    }

    private String scheme() {
        return access.serverContext() == null ? "http" : "https";
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
        if (accessLog != null) {
            accessLog.close();
        }
    }

    // ---- dispatch ------------------------------------------------------------------------------

    private record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response json(int status, byte[] body) {
            return new Response(status, JSON_TYPE, body, Map.of());
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        // a warm-up request is one that arrived while warming: decided now, not after the answer went
        // out (by then the warm-up may have ended and the request would count; found by the soak test)
        boolean warmUpRequest = warming;
        metrics.enter();
        String route = "unmatched";
        int status = 500;
        long bytes = 0;
        long requestId = 0;
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
                Route found = route(path);
                route = found == null ? "unmatched" : found.name();
                try {
                    if (!"/healthz".equals(route) && !access.allows(ex.getRequestHeaders().getFirst("Authorization"))) {
                        throw new ApiException(401, "unauthorized", null, "this server needs its API token: "
                                + "Authorization: Bearer TOKEN");
                    }
                    r = dispatch(ex, found, path);
                } catch (ApiException e) {
                    r = error(e);
                    if (e.status() == 405) {
                        r = new Response(r.status(), r.contentType(), r.body(), Map.of("Allow", found.method()));
                    } else if (e.status() == 401) {
                        r = new Response(r.status(), r.contentType(), r.body(),
                                Map.of("WWW-Authenticate", "Basic realm=\"vidkit\", charset=\"UTF-8\""));
                    }
                } catch (ServiceException e) {
                    r = error(refusal(e));
                } catch (InvalidDataException e) {
                    r = error(ApiException.badRequest("invalid_data", null, e.getMessage()));
                } catch (RuntimeException | IOException e) {
                    System.err.println("vidkit serve: " + ex.getRequestMethod() + " " + path + " failed: " + e);
                    e.printStackTrace();
                    r = error(new ApiException(500, "internal", null, "internal error: " + e.getClass().getSimpleName()));
                }
            }
            status = r.status();
            long id = requestIds.incrementAndGet();
            ex.getResponseHeaders().set("X-Request-Id", Long.toString(id));
            bytes = r.body().length;
            requestId = id;
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
            if (!warmUpRequest) {
                metrics.record(route, ex.getRequestMethod(), status, (System.nanoTime() - t0) / 1e9);
                if (accessLog != null) {
                    accessLog.log(requestId, ex.getRemoteAddress(), ex.getRequestMethod(), route, status, bytes,
                            (System.nanoTime() - t0) / 1e6);
                }
            }
            ex.close();
        }
    }

    /** Answers one request on a route; {@code path} is the raw request path. */
    private interface Handler {
        Response handle(HttpExchange ex, String path) throws ApiException, ServiceException, IOException;
    }

    /**
     * A route, declared once: its name (what metrics are labelled with), the one method it takes
     * (the {@code Allow} header of a 405) and its handler.
     */
    private record Route(String name, String method, Handler handler) {}

    /** Routes by exact path. */
    private final Map<String, Route> routes = new LinkedHashMap<>();
    /** {@code /v1/items/{id}}: the one route with a path parameter. */
    private final Route itemRoute = new Route("/v1/items/{id}", "GET", (ex, path) -> item(path));
    private static final String ITEMS_PREFIX = "/v1/items/";

    private Response item(String path) throws ApiException, IOException {
        String id;
        try {
            id = URLDecoder.decode(path.substring(ITEMS_PREFIX.length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // a broken %-escape: the client's error, not the server's
            throw ApiException.badRequest("bad_id", "id", "the id in the path is not %-encoded correctly: "
                    + e.getMessage());
        }
        Service.Item item = service.item(id);
        if (item == null) {
            throw new ApiException(404, "unknown_id", "id", "no item '" + id + "'");
        }
        return ok(json.valueToTree(item));
    }

    /** Every route of the API and the page, in one place. */
    private void declareRoutes() {
        for (String page : List.of("/", "/index.html", "/app.js", "/style.css")) {
            routes.put(page, new Route("page", "GET", (ex, path) -> page(path.equals("/") ? "/index.html" : path)));
        }
        declare("/healthz", "GET", (ex, path) -> health());
        declare("/metrics", "GET", (ex, path) -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.render().getBytes(StandardCharsets.UTF_8), Map.of()));
        declare("/v1/info", "GET", (ex, path) -> ok(info()));
        declare("/v1/items", "GET", (ex, path) -> ok(items(RequestBody.query(ex))));
        declare("/v1/match", "POST", (ex, path) -> ok(match(ex)));
        declare("/v1/similar", "POST", (ex, path) -> ok(RequestBody.contentType(ex).equals(RequestBody.VIDEO)
                ? similarToVideoFile(ex) : similar(RequestBody.ofJson(ex, config.maxBodyBytes(), FEATURES, SIMILAR_FIELDS))));
        declare("/v1/tags", "POST", (ex, path) -> ok(RequestBody.contentType(ex).equals(RequestBody.VIDEO)
                ? tagsOfVideoFile(ex) : tags(RequestBody.ofJson(ex, config.maxBodyBytes(), TAG_MATRICES, TAG_FIELDS))));
        declare("/v1/ask", "POST", (ex, path) -> ok(ask(RequestBody.ofJson(ex, config.maxBodyBytes(), TAG_MATRICES,
                ASK_FIELDS))));
        declare("/v1/similarity", "POST", (ex, path) -> ok(similarity(RequestBody.ofJson(ex, config.maxBodyBytes(),
                Set.of(), SIMILARITY_FIELDS))));
    }

    private void declare(String path, String method, Handler handler) {
        routes.put(path, new Route(path, method, handler));
    }

    /** The route of a raw path, or {@code null}. */
    private Route route(String path) {
        Route r = routes.get(path);
        return r != null ? r : path.startsWith(ITEMS_PREFIX) ? itemRoute : null;
    }

    /** The route's answer: 404 without a route, 405 (with {@code Allow}) for another method. */
    private Response dispatch(HttpExchange ex, Route route, String path) throws ApiException, ServiceException, IOException {
        if (route == null) {
            throw new ApiException(404, "not_found", null, "no route " + path + "; see GET /v1/info");
        }
        if (!ex.getRequestMethod().equals(route.method())) {
            throw new ApiException(405, "method_not_allowed", null, ex.getRequestMethod() + " is not allowed here; use "
                    + route.method());
        }
        return route.handler().handle(ex, path);
    }

    private Response health() throws IOException {
        ObjectNode o = json.createObjectNode();
        o.put("status", warming ? "warming" : "ok");
        o.put("uptimeSeconds", (System.nanoTime() - started) / 1e9);
        return warming ? new Response(503, JSON_TYPE, json.writeValueAsBytes(o), Map.of("Retry-After", "1")) : ok(o);
    }

    /** The status a service refusal answers with. */
    private static ApiException refusal(ServiceException e) {
        int status = switch (e.reason()) {
            case BAD_INPUT -> 400;
            case UNKNOWN_ID -> 404;
            case UNAVAILABLE -> 409;
            case STOPPING -> 503;
        };
        return new ApiException(status, e.type(), e.field(), e.getMessage());
    }

    // ---- endpoints -----------------------------------------------------------------------------

    private ObjectNode info() {
        ObjectNode o = json.createObjectNode();
        o.put("matching", service.hasMatcher());
        o.put("frames", service.frames());
        o.put("videoDim", service.videoDim());
        o.put("audioDim", service.audioDim());
        o.put("libraryItems", service.hasMatcher() ? service.audioLibrary().size() : 0);
        o.put("similarityRun", service.hasSimilarityModel());
        if (service.hasSimilarityModel()) {
            o.put("similarityVisualDim", service.similarityDims()[0]);
            o.put("similarityAudioDim", service.similarityDims()[1]);
        }
        o.put("videoLibraryItems", service.videoLibrarySize());
        o.put("search", service.config().index() == null ? "exact" : "hnsw");
        o.put("tagger", service.hasTagger());
        if (service.hasTagger()) {
            o.put("taggerVisualDim", service.taggerDims()[0]);
            o.put("taggerAudioDim", service.taggerDims()[1]);
        }
        o.put("answerer", service.hasAnswerer());
        o.put("reranker", service.hasReranker());
        o.put("videoLibrary", service.hasVideoLibrary());
        o.put("features", service.hasFeatures());
        o.put("videoFiles", service.takesVideoFiles());
        o.put("maxK", config.maxK());
        o.put("maxBodyBytes", config.maxBodyBytes());
        return o;
    }

    private ObjectNode items(Map<String, String> query) throws ApiException {
        int offset = RequestBody.intParam(query, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = RequestBody.intParam(query, "limit", 50, 1, 1000);
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

    private ObjectNode match(HttpExchange ex) throws ApiException, ServiceException, IOException {
        service.requireMatcher();
        String type = RequestBody.contentType(ex);
        float[] features;
        int k;
        boolean rerank;
        if (type.equals("application/x-npy") || type.equals(RequestBody.VIDEO)) {
            Map<String, String> q = RequestBody.query(ex);
            k = RequestBody.intParam(q, "k", 10, 1, config.maxK());
            rerank = RequestBody.boolParam(q, "rerank");
            byte[] bytes = RequestBody.read(ex, config.maxBodyBytes());
            features = type.equals(RequestBody.VIDEO) ? service.uploadedVideoFeatures(bytes)
                    : RequestBody.npyFeatures(bytes, service.frames(), service.videoDim());
        } else {
            RequestBody b = RequestBody.parse(RequestBody.read(ex, config.maxBodyBytes()), FEATURES, MATCH_FIELDS);
            features = videoFeaturesOf(b);
            k = b.intField("k", 10, config.maxK());
            rerank = b.boolField("rerank");
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

    private ObjectNode similar(RequestBody b) throws ApiException, ServiceException, IOException {
        int k = b.intField("k", 10, config.maxK());
        boolean byId = b.has("id");
        int[] dims = service.similarityDims();
        String shape = dims != null ? "[1][" + (dims[0] + dims[1]) + "] numbers: video-level visual ⊕ audio"
                : "[" + service.frames() + "][" + service.videoDim() + "] numbers";
        if (byId == b.has("features")) {
            throw ApiException.badRequest("missing_field", "id", "give exactly one of 'id' (a video of the video library) "
                    + "or 'features' (" + shape + ")");
        }
        List<Service.Hit> hits;
        ObjectNode o = json.createObjectNode();
        if (byId) {
            String id = b.text("id");
            hits = service.similar(service.videoEmbedding(id), k, id);
            List<String> labels = service.labelNames(id);
            if (labels != null) {
                labels.forEach(o.putArray("labels")::add);
            }
        } else if (dims != null) {
            hits = service.similar(service.embedForSimilarity(b.matrix("features", 1, dims[0] + dims[1])), k, null);
        } else {
            hits = service.similar(service.embedVideo(b.matrix("features", service.frames(), service.videoDim())), k, null);
        }
        o.set("hits", hits(hits));
        return o;
    }

    /** {@code POST /v1/similar} with a video file ({@code ?k=}): the nearest videos of the video library. */
    private ObjectNode similarToVideoFile(HttpExchange ex) throws ApiException, ServiceException, IOException {
        int k = RequestBody.intParam(RequestBody.query(ex), "k", 10, 1, config.maxK());
        float[] features = service.uploadedVideoFeatures(RequestBody.read(ex, config.maxBodyBytes()));
        ObjectNode o = json.createObjectNode();
        o.set("hits", hits(service.similar(service.embedVideo(features), k, null)));
        return o;
    }

    /** {@code POST /v1/tags} with a video file ({@code ?k=}): the tagger on every second of both modalities. */
    private ObjectNode tagsOfVideoFile(HttpExchange ex) throws ApiException, ServiceException, IOException {
        int k = RequestBody.intParam(RequestBody.query(ex), "k", 5, 1, config.maxK());
        Service.UploadedClip clip = service.uploadedTagFeatures(RequestBody.read(ex, config.maxBodyBytes()));
        return tagList(service.tags(clip.visual(), clip.audio(), clip.frames(), k));
    }

    private ObjectNode tagList(List<Service.Tag> tags) {
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

    /**
     * {@code POST /v1/ask}: {@code {"id": ID | "visual": [[..]], "audio": [[..]], "question": "...", "k": 5}} →
     * {@code {"answer": "...", "answers": [{"answer", "probability"}, ...]}}.
     */
    private ObjectNode ask(RequestBody b) throws ApiException, ServiceException {
        int k = b.intField("k", 5, config.maxK());
        if (!service.hasAnswerer()) {
            throw new ApiException(409, "no_answerer", null, "this server has no question-answering run (start it with "
                    + "--answerer RUN)");
        }
        if (!b.has("question")) {
            throw ApiException.badRequest("missing_field", "question", "give 'question': the question about the clip");
        }
        String question = b.text("question");
        int[] shape = service.answererShape();
        ClipFeatures clip = clipFeatures(b, shape[0], shape[1], shape[2], "answerer's clip sizes");
        List<vidkit.qa.TrainedAnswerer.Answer> answers = service.ask(clip.visual(), clip.audio(), question, k);
        ObjectNode o = json.createObjectNode();
        o.put("question", question.strip());
        o.put("answer", answers.get(0).answer());
        ArrayNode arr = o.putArray("answers");
        for (vidkit.qa.TrainedAnswerer.Answer a : answers) {
            ObjectNode e = arr.addObject();
            e.put("answer", a.answer());
            e.put("probability", a.probability());
        }
        return o;
    }

    private ObjectNode tags(RequestBody b) throws ApiException, ServiceException {
        int k = b.intField("k", 5, config.maxK());
        if (!service.hasTagger()) {
            throw new ApiException(409, "no_tagger", null, "this server has no tagger (start it with --tagger RUN)");
        }
        int[] dims = service.taggerDims();
        ClipFeatures clip = clipFeatures(b, -1, dims[0], dims[1], "tagger's feature sizes");
        return tagList(service.tags(clip.visual(), clip.audio(), clip.frames(), k));
    }

    /** A clip's features as a request gives them: {@code visual [frames][videoDim]}, {@code audio [frames][audioDim]}. */
    private record ClipFeatures(float[] visual, float[] audio, int frames) {}

    /**
     * The clip a request names by {@code id} (a clip of the features dataset, which must have the
     * wanted sizes) or sends as {@code visual} + {@code audio} matrices; {@code frames} is the
     * required number of seconds, or -1 for any from 1 to 10,000.
     */
    private ClipFeatures clipFeatures(RequestBody b, int frames, int videoDim, int audioDim, String whose)
            throws ApiException, ServiceException {
        if (b.has("id")) {
            if (b.has("visual") || b.has("audio")) {
                throw ApiException.badRequest("conflicting_fields", "id", "give 'id' or 'visual' + 'audio', not both");
            }
            String id = b.text("id");
            float[] visual = service.videoFeatures(id, "id");
            float[] audio = service.audioFeatures(id, "id");
            if (service.videoDim() != videoDim || service.audioDim() != audioDim
                    || (frames >= 0 && service.frames() != frames)) {
                throw new ApiException(409, "feature_mismatch", "id", "the features dataset does not have the " + whose
                        + "; send 'visual' and 'audio'");
            }
            return new ClipFeatures(visual, audio, service.frames());
        }
        String rows = frames < 0 ? "frames" : Integer.toString(frames);
        if (!b.has("visual") || !b.has("audio")) {
            throw ApiException.badRequest("missing_field", b.has("visual") ? "audio" : "visual",
                    "give 'id', or 'visual' [" + rows + "][" + videoDim + "] and 'audio' [" + rows + "][" + audioDim + "]");
        }
        int n = frames;
        if (n < 0) {
            n = b.matrices.get("visual").rows();
            if (n < 1 || n > 10_000) {
                throw ApiException.badRequest("bad_shape", "visual", "expected 1 to 10,000 frames, got " + n);
            }
        }
        return new ClipFeatures(b.matrix("visual", n, videoDim), b.matrix("audio", n, audioDim), n);
    }

    private ObjectNode similarity(RequestBody b) throws ApiException, ServiceException {
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
            List<String> labels = service.labelNames(h.id());
            if (labels != null) {
                labels.forEach(e.putArray("labels")::add);
            }
        }
        return arr;
    }

    /** {@code features} as {@code [frames][videoDim]}, or the stored features of {@code id}. */
    private float[] videoFeaturesOf(RequestBody b) throws ApiException, ServiceException {
        boolean byId = b.has("id");
        if (byId == b.has("features")) {
            throw ApiException.badRequest("missing_field", "features", "give exactly one of 'features' ([" + service.frames()
                    + "][" + service.videoDim() + "] numbers) or 'id' (a clip of the features dataset)");
        }
        return byId ? service.videoFeatures(b.text("id"), "id") : b.matrix("features", service.frames(), service.videoDim());
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
