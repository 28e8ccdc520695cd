package vidkit.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vidkit.data.FeatureSet;
import vidkit.data.PairedDataset;
import vidkit.data.TaggingDataset;
import vidkit.index.EmbeddingLibrary;
import vidkit.index.ExactSearch;
import vidkit.core.RunDirectory;
import vidkit.matching.TrainedMatcher;
import vidkit.tagging.TrainedTagger;

/** The server over real HTTP on loopback, against answers computed directly from the same parts. */
class ServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static ServeFixture fixture;
    private static Server server;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServeFixture.get();
        server = Server.start(fixture.config());
        base = server.baseUri();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

    static Answer post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
    }

    static Answer post(String path, String json) throws Exception {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static Answer get(String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? JSON.readTree(r.body()) : null;
        return new Answer(r.statusCode(), body, r);
    }

    static String featuresJson(float[] values, int frames, int dim) {
        StringBuilder b = new StringBuilder("[");
        for (int t = 0; t < frames; t++) {
            b.append(t == 0 ? "[" : ",[");
            for (int d = 0; d < dim; d++) {
                b.append(d == 0 ? "" : ",").append(values[t * dim + d]);
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    private static void assertError(Answer a, int status, String type, String field) {
        assertEquals(status, a.status(), a.raw().body());
        assertEquals(type, a.body().at("/error/type").asText(), a.raw().body());
        if (field != null) {
            assertEquals(field, a.body().at("/error/field").asText(), a.raw().body());
        }
        assertFalse(a.body().at("/error/message").asText().isBlank());
    }

    @Test
    void matchSimilarTagsAndSimilarityAgreeWithTheModelsAndLibrariesUsedDirectly() throws Exception {
        PairedDataset data = PairedDataset.load(fixture.data);
        String id = data.ids().get(7);
        int per = ServeFixture.FRAMES * ServeFixture.VIDEO_DIM;
        float[] video = java.util.Arrays.copyOfRange(data.video().values(), 7 * per, 8 * per);
        List<ExactSearch.Hit> expected;
        float[] embedding;
        try (TrainedMatcher m = TrainedMatcher.load(RunDirectory.open(fixture.twoTower).inferenceCheckpoint());
                EmbeddingLibrary audio = EmbeddingLibrary.open(fixture.audioLibrary)) {
            embedding = m.embed(data.video().select(new int[] {7}), true, false);
            expected = ExactSearch.search(audio, embedding, 1, 10, 1).get(0);
        }
        Answer byId = post("/v1/match", "{\"id\":\"" + id + "\",\"k\":10}");
        assertEquals(200, byId.status(), byId.raw().body());
        assertEquals("hnsw", byId.body().get("search").asText());
        JsonNode hits = byId.body().get("hits");
        assertEquals(10, hits.size());
        List<String> expectedIds = expected.stream().map(h -> data.ids().get(h.index())).toList();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            got.add(hits.get(i).get("id").asText());
            assertEquals(i + 1, hits.get(i).get("rank").asInt());
            assertEquals(expected.get(i).score(), hits.get(i).get("score").floatValue(), 1e-5f);
        }
        // a 160-item library searched with ef 100: the graph finds the exact top 10
        assertEquals(expectedIds, got);

        // the same clip sent as JSON features and as an .npy body: the same hits
        Answer byFeatures = post("/v1/match", "{\"features\":" + featuresJson(video, 10, ServeFixture.VIDEO_DIM) + ",\"k\":10}");
        assertEquals(hits, byFeatures.body().get("hits"));
        Answer byNpy = post("/v1/match?k=10", "application/x-npy", MalformedRequests.npy(10, ServeFixture.VIDEO_DIM, video));
        assertEquals(hits, byNpy.body().get("hits"));

        // similar videos by id: the video library's exact neighbours without the clip itself
        Answer similar = post("/v1/similar", "{\"id\":\"" + id + "\",\"k\":5}");
        assertEquals(200, similar.status(), similar.raw().body());
        try (EmbeddingLibrary videos = EmbeddingLibrary.open(fixture.videoLibrary)) {
            List<String> near = ExactSearch.search(videos, videos.row(7), 1, 6, 1).get(0).stream()
                    .map(h -> videos.ids().get(h.index())).filter(s -> !s.equals(id)).limit(5).toList();
            List<String> served = new ArrayList<>();
            similar.body().get("hits").forEach(h -> served.add(h.get("id").asText()));
            assertEquals(near, served);
        }

        // tags: the tagger's top 3 by logit, as sigmoid probabilities
        Answer tags = post("/v1/tags", "{\"id\":\"" + id + "\",\"k\":3}");
        assertEquals(200, tags.status(), tags.raw().body());
        try (TrainedTagger t = TrainedTagger.load(RunDirectory.open(fixture.tagger).inferenceCheckpoint())) {
            TaggingDataset one = TaggingDataset.fromPaired(data).selectIds(List.of(id));
            float[] logits = t.logits(one, false);
            int best = 0;
            for (int c = 1; c < logits.length; c++) {
                best = logits[c] > logits[best] ? c : best;
            }
            assertEquals(best, tags.body().at("/tags/0/index").asInt());
            assertEquals(1 / (1 + Math.exp(-logits[best])), tags.body().at("/tags/0/score").asDouble(), 1e-5);
            assertEquals(t.state().classNames()[best], tags.body().at("/tags/0/name").asText());
        }

        // similarity: row i video, column j audio; the diagonal is the clip's own pair
        Answer sim = post("/v1/similarity", "{\"ids\":[\"" + id + "\",\"" + data.ids().get(8) + "\"]}");
        assertEquals(200, sim.status(), sim.raw().body());
        float self = 0;
        try (EmbeddingLibrary audio = EmbeddingLibrary.open(fixture.audioLibrary)) {
            float[] a = audio.row(audio.indexOf(id));
            for (int i = 0; i < a.length; i++) {
                self += a[i] * embedding[i];
            }
        }
        assertEquals(self, sim.body().at("/matrix/0/0").floatValue(), 1e-5f);

        // items
        Answer items = get("/v1/items?offset=2&limit=3");
        assertEquals(ServeFixture.CLIPS, items.body().get("total").asInt());
        assertEquals(data.ids().get(2), items.body().at("/items/0/id").asText());
        Answer item = get("/v1/items/" + id);
        assertEquals(7, item.body().get("audioLibraryRow").asInt());
        assertTrue(item.body().get("hasFeatures").asBoolean());
        assertEquals(200, get("/healthz").status());
        assertEquals(ServeFixture.VIDEO_DIM, get("/v1/info").body().get("videoDim").asInt());
    }

    @Test
    void reRankingWithACrossModelReordersTheFirstStageCandidates() throws Exception {
        // the two-tower run as its own cross model: its pair score is the same dot product times a positive
        // temperature, so the re-ranked order must equal the first stage's and every score scale by one factor
        try (Server rerank = Server.start(fixture.config("rerank=" + fixture.twoTower, "rerankK=20"))) {
            URI saved = base;
            base = rerank.baseUri();
            try {
                JsonNode plain = post("/v1/match", "{\"id\":\"0006\",\"k\":8}").body();
                Answer reranked = post("/v1/match", "{\"id\":\"0006\",\"k\":8,\"rerank\":true}");
                assertEquals(200, reranked.status(), reranked.raw().body());
                assertEquals(20, reranked.body().get("reranked").asInt());
                JsonNode a = plain.get("hits");
                JsonNode b = reranked.body().get("hits");
                assertEquals(8, b.size());
                double factor = b.get(0).get("score").asDouble() / a.get(0).get("score").asDouble();
                assertTrue(factor > 0);
                for (int i = 0; i < 8; i++) {
                    assertEquals(a.get(i).get("id"), b.get(i).get("id"));
                    assertEquals(factor * a.get(i).get("score").asDouble(), b.get(i).get("score").asDouble(),
                            1e-3 * Math.abs(factor));
                }
            } finally {
                base = saved;
            }
        }
        assertError(post("/v1/match", "{\"id\":\"0006\",\"rerank\":true}"), 409, "no_reranker", "rerank");
    }

    @Test
    void concurrentQueriesAreBatchedWithoutChangingAnswers() throws Exception {
        PairedDataset data = PairedDataset.load(fixture.data);
        List<JsonNode> alone = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            alone.add(post("/v1/match", "{\"id\":\"" + data.ids().get(i) + "\",\"k\":5}").body().get("hits"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<JsonNode>> together = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 24; i++) {
                    String body = "{\"id\":\"" + data.ids().get(i) + "\",\"k\":5}";
                    together.add(pool.submit((Callable<JsonNode>) () -> post("/v1/match", body).body().get("hits")));
                }
            }
            for (int j = 0; j < together.size(); j++) {
                JsonNode got = together.get(j).get();
                JsonNode want = alone.get(j % 24);
                for (int r = 0; r < 5; r++) {
                    assertEquals(want.get(r).get("id"), got.get(r).get("id"));
                    assertEquals(want.get(r).get("score").floatValue(), got.get(r).get("score").floatValue(), 1e-5f);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badRequestsGetTypedJsonErrorsNamingTheField() throws Exception {
        int dim = ServeFixture.VIDEO_DIM;
        float[] ok = new float[10 * dim];
        assertError(post("/v1/match", "{\"features\":" + featuresJson(ok, 9, dim) + "}"), 400, "bad_shape", "features");
        assertError(post("/v1/match", "{\"features\":" + featuresJson(ok, 10, dim - 1) + "}"), 400, "bad_shape", "features");
        assertError(post("/v1/match", "{\"features\":[[1,2],[3]]}"), 400, "bad_shape", "features");
        assertError(post("/v1/match", "{\"features\":[[NaN]]}"), 400, "malformed_json", null);
        assertError(post("/v1/match", "{\"features\":[[1e39]]}"), 400, "non_finite", "features");
        assertError(post("/v1/match", "{\"features\":[[\"1\"]]}"), 400, "bad_value", "features");
        assertError(post("/v1/match", "{\"features\":" + featuresJson(ok, 10, dim) + ",\"top\":3}"), 400, "unknown_field", "top");
        assertError(post("/v1/match", "{\"id\":\"0001\",\"k\":0}"), 400, "bad_field", "k");
        assertError(post("/v1/match", "{\"id\":\"0001\",\"k\":101}"), 400, "bad_field", "k");
        assertError(post("/v1/match", "{\"id\":\"0001\",\"id\":\"0002\"}"), 400, "duplicate_field", "id");
        assertError(post("/v1/match", "{\"id\":\"nope\"}"), 404, "unknown_id", "id");
        assertError(post("/v1/match", "{\"k\":3}"), 400, "missing_field", "features");
        assertError(post("/v1/match", "{\"id\":\"0001\"} x"), 400, "malformed_json", null);
        assertError(post("/v1/match", "[1,2]"), 400, "malformed_json", null);
        assertError(post("/v1/match", "application/json", new byte[0]), 400, "empty_body", null);
        assertError(post("/v1/match", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media_type", null);
        assertError(post("/v1/match?k=3", "application/x-npy", MalformedRequests.npy(10, dim + 1, 0.5f)), 400, "bad_shape", "features");
        assertError(post("/v1/match", "application/x-npy", new byte[] {1, 2, 3}), 400, "bad_npy", null);
        assertError(post("/v1/match", "application/x-npy", MalformedRequests.npy(10, dim, Float.NaN)), 400, "non_finite", "features");
        byte[] big = new byte[(4 << 20) + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        assertError(post("/v1/match", "application/json", big), 413, "body_too_large", null);
        Answer wrongMethod = get("/v1/match");
        assertError(wrongMethod, 405, "method_not_allowed", null);
        assertEquals("POST", wrongMethod.raw().headers().firstValue("Allow").orElse(""));
        assertError(get("/v2/nothing"), 404, "not_found", null);
        assertError(get("/v1/items/nope"), 404, "unknown_id", "id");
        assertError(get("/v1/items?limit=0"), 400, "bad_query", "limit");
        assertError(post("/v1/tags", "{\"visual\":[[1]],\"audio\":[[1]]}"), 400, "bad_shape", "visual");
        assertError(post("/v1/similarity", "{\"ids\":[]}"), 400, "bad_field", "ids");
        assertError(post("/v1/similar", "{\"k\":2}"), 400, "missing_field", "id");
    }

    @Test
    void manyMalformedRequestsGetNoServerErrorAndTheServerStillAnswersCorrectly() throws Exception {
        String valid = "{\"id\":\"0003\",\"k\":5}";
        JsonNode before = post("/v1/match", valid).body().get("hits");
        MalformedRequests.Result r = MalformedRequests.run(base, 36 * 4, ServeFixture.FRAMES, ServeFixture.VIDEO_DIM, 11);
        assertEquals(0, r.serverErrors(), String.join("\n", MalformedRequests.describe(r)));
        assertTrue(r.byKind().size() >= 30, "kinds " + r.byKind().keySet());
        // every kind answered with a 4xx, except raw garbage the JDK server may just drop (0), and a 5 MB body
        // whose sender may see the connection close (after the 413) before it has finished sending
        r.byKind().forEach((kind, statuses) -> statuses.keySet().forEach(s -> assertTrue(
                (s >= 400 && s < 500) || (s == 0 && (kind.startsWith("raw") || kind.equals("body too large"))), kind + " -> " + s)));
        assertEquals(before, post("/v1/match", valid).body().get("hits"));
        String metrics = get("/metrics").raw().body();
        assertFalse(metrics.contains("status=\"5"), metrics);
        assertTrue(metrics.contains("vidkit_requests_total{route=\"/v1/match\",method=\"POST\",status=\"400\"}"), metrics);
        assertTrue(metrics.contains("vidkit_request_duration_seconds_bucket{route=\"/v1/match\",le=\"+Inf\"}"), metrics);
    }

    /** Sends raw bytes, half-closes, and returns the whole answer as text. */
    private static String rawExchange(String request) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aNegativeContentLengthOrABodyShorterThanAnnouncedOrACutChunkedBodyIsA400() throws Exception {
        String head = "POST /v1/match HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        String negative = rawExchange(head + "Content-Length: -5\r\n\r\n{}");
        assertTrue(negative.startsWith("HTTP/1.1 400"), negative);
        String shortBody = rawExchange(head + "Content-Length: 50\r\n\r\n{\"k\":3}");
        assertTrue(shortBody.startsWith("HTTP/1.1 400"), shortBody);
        assertTrue(shortBody.contains("\"truncated_body\"") && shortBody.contains("after 7 of the 50 bytes"), shortBody);
        String shortChunked = rawExchange(head + "Transfer-Encoding: chunked\r\n\r\n40\r\n{\"k\":3");
        assertTrue(shortChunked.startsWith("HTTP/1.1 400"), shortChunked);
        assertTrue(shortChunked.contains("\"truncated_body\""), shortChunked);
    }

    @Test
    void theWarmUpRanOverHttpBeforeStartReturnedAndIsNotInTheMetrics() throws Exception {
        // the fixture asks for 40 warm-up requests: fewer than one round, so exactly 40 are sent
        ServerWarmUp.Report w = server.warmUpReport();
        assertEquals(40, w.requests());
        assertTrue(w.seconds() > 0);
        try (Server fresh = Server.start(fixture.config("warmupQueries=0"))) {
            assertEquals(0, fresh.warmUpReport().requests());
            assertEquals("ok", JSON.readTree(CLIENT.send(HttpRequest.newBuilder(fresh.baseUri().resolve("/healthz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("status").asText());
            String metrics = fresh.metrics().render();
            assertFalse(metrics.contains("route=\"/v1/match\""), metrics);
        }
        try (Server warmed = Server.start(fixture.config("warmupQueries=30"))) {
            assertEquals(30, warmed.warmUpReport().requests());
            String metrics = warmed.metrics().render();
            assertFalse(metrics.contains("route=\"/v1/match\""), "warm-up requests must not be counted:\n" + metrics);
        }
    }

    /** Opens a request whose body is only partly sent: its handler holds a permit while it waits for the rest. */
    private static Socket slowRequest(URI uri, byte[] body, int sent) throws Exception {
        Socket s = new Socket(uri.getHost(), uri.getPort());
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/match HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, sent);
        out.flush();
        return s;
    }

    private static int finish(Socket s, byte[] body, int sent) throws Exception {
        s.getOutputStream().write(body, sent, body.length - sent);
        s.getOutputStream().flush();
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        String line = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        return Integer.parseInt(line.substring(9, 12));
    }

    @Test
    void beyondTheConcurrencyLimitRequestsAreRefusedWith503AndRetryAfter() throws Exception {
        try (Server one = Server.start(fixture.config("maxConcurrent=1"))) {
            URI uri = one.baseUri();
            byte[] body = "{\"id\":\"0004\",\"k\":3}".getBytes(StandardCharsets.UTF_8);
            try (Socket holder = slowRequest(uri, body, 5)) {
                Thread.sleep(300); // the handler is now reading the body, holding the only permit
                HttpResponse<String> refused = CLIENT.send(HttpRequest.newBuilder(uri.resolve("/healthz")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
                assertEquals("saturated", JSON.readTree(refused.body()).at("/error/type").asText());
                assertEquals(200, finish(holder, body, 5));
            }
            HttpResponse<String> after = CLIENT.send(HttpRequest.newBuilder(uri.resolve("/healthz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode());
            assertTrue(one.metrics().render().contains("vidkit_requests_rejected_total 1"));
        }
    }

    @Test
    void closingLetsTheRequestInFlightFinishAndThenRefusesConnections() throws Exception {
        Server s = Server.start(fixture.config("shutdownGraceSeconds=10"));
        URI uri = s.baseUri();
        byte[] body = "{\"id\":\"0005\",\"k\":3}".getBytes(StandardCharsets.UTF_8);
        Socket inFlight = slowRequest(uri, body, 3);
        Thread.sleep(300);
        Thread closer = new Thread(s::close);
        closer.start();
        Thread.sleep(500); // the listener is closed now, the exchange still open
        assertThrows(java.io.IOException.class, () -> new Socket(uri.getHost(), uri.getPort()).close(),
                "new connections are refused while stopping");
        assertEquals(200, finish(inFlight, body, 3));
        inFlight.close();
        closer.join(15_000);
        assertFalse(closer.isAlive());
    }

    @Test
    void theByteLevelReaderAgreesWithJacksonOnRandomlyFormattedBodies() throws Exception {
        java.util.Random r = new java.util.Random(9);
        String[] ws = {"", " ", "\n", "\t ", "\r\n  "};
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + r.nextInt(4);
            int cols = 1 + r.nextInt(6);
            StringBuilder b = new StringBuilder(ws[r.nextInt(5)] + "{" + ws[r.nextInt(5)] + "\"k\"" + ws[r.nextInt(5)] + ":"
                    + ws[r.nextInt(5)] + (1 + r.nextInt(9)) + ws[r.nextInt(5)] + ",\"features\":" + ws[r.nextInt(5)] + "[");
            for (int i = 0; i < rows; i++) {
                b.append(i == 0 ? "" : ",").append(ws[r.nextInt(5)]).append('[');
                for (int j = 0; j < cols; j++) {
                    double v = r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6);
                    String num = switch (r.nextInt(4)) {
                        case 0 -> Float.toString((float) v);
                        case 1 -> Double.toString(v);
                        case 2 -> Long.toString(Math.round(v));
                        default -> String.format(java.util.Locale.ROOT, "%.3E", v);
                    };
                    b.append(j == 0 ? "" : ",").append(ws[r.nextInt(5)]).append(num).append(ws[r.nextInt(5)]);
                }
                b.append(']');
            }
            b.append(ws[r.nextInt(5)]).append("]}").append(ws[r.nextInt(5)]);
            byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
            RequestBody parsed = RequestBody.parse(body, java.util.Set.of("features"), java.util.Set.of("k"));
            JsonNode tree = JSON.readTree(body);
            float[] got = parsed.matrix("features", rows, cols);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(Float.parseFloat(tree.get("features").get(i).get(j).asText()), got[i * cols + j], 0f, b.toString());
                }
            }
            assertEquals(tree.get("k"), parsed.scalars.get("k"));
        }
        for (String bad : List.of("{\"features\":[[01]]}", "{\"features\":[[1.]]}", "{\"features\":[[.5]]}",
                "{\"features\":[[+1]]}", "{\"features\":[[1,]]}", "{\"features\":[[1]],}", "{\"features\":[[1] [2]]}",
                "{\"k\":1 \"features\":[[1]]}", "{\"features\":[[1e]]}", "{\"features\":[[-]]}", "{\"k\":tru}",
                "{\"features\":[[1]]", "{\"k\":\"\\x\"}")) {
            ApiException e = assertThrows(ApiException.class,
                    () -> RequestBody.parse(bad.getBytes(StandardCharsets.UTF_8), java.util.Set.of("features"), java.util.Set.of("k")),
                    bad);
            assertEquals(400, e.status(), bad);
        }
    }

    @Test
    void readsNumbersExactlyAsFloatParseFloatDoes() {
        java.util.Random r = new java.util.Random(5);
        List<String> cases = new ArrayList<>(List.of("0", "-0", "-0.0", "1", "16777217", "16777219", "0.1", "3.4028235e38",
                "3.4028236e38", "1e39", "1.4e-45", "1e-46", "1.17549435E-38", "123456789012345678901234567890", "2.5E-3",
                "-7.006492321624085e-46", "0.000000000000000000001", "9007199254740993", "1E22", "1E23", "4.9e-324"));
        for (int i = 0; i < 20000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isFinite(f)) {
                cases.add(Float.toString(f));
                cases.add(Double.toString(f));
            }
            cases.add(String.format(java.util.Locale.ROOT, "%." + r.nextInt(12) + "e", r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20)));
            // feature-like values with every length of fraction (the 8- and 4-digit SWAR paths and their edges)
            cases.add(String.format(java.util.Locale.ROOT, "%." + r.nextInt(20) + "f", r.nextGaussian() * Math.pow(10, r.nextInt(6) - 3)));
            cases.add(Float.toString((float) r.nextGaussian()));
            cases.add("0." + "0".repeat(r.nextInt(12)) + Long.toString(r.nextLong() & Long.MAX_VALUE).substring(0, 1 + r.nextInt(15)));
            // decimals exactly halfway between two floats, written with few digits (2^24 + odd)
            cases.add(Long.toString((1L << 24) + 2L * r.nextInt(1 << 20) + 1));
        }
        for (String c : cases) {
            byte[] chars = ("x" + c + "y").getBytes(StandardCharsets.US_ASCII);
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(c)), Float.floatToRawIntBits(FastFloat.parse(chars, 1, c.length())),
                    c);
        }
    }
}
