package vidkit.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.TaggingDataset;
import vidkit.index.EmbeddingLibrary;
import vidkit.report.HeadlessChromium;
import vidkit.similarity.ReferencePairs;
import vidkit.similarity.SimilarityConfig;
import vidkit.similarity.TrainedSimilarity;
import vidkit.train.Trainer;

/**
 * A server for similar videos only (no matching run): a similarity run trained on one real
 * YouTube-8M shard (pairs derived by the reference definition), its embedding library, the shard's
 * labels named by the real vocabulary. Over real HTTP: neighbours by id are the exact cosine top k,
 * with every video's label names; a video's own features find itself first; matching routes and
 * video uploads are refused with the reason. In headless Chromium: the page lists the videos with
 * their labels and shows a picked video's neighbours with theirs.
 */
class SimilarVideosTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void neighboursComeWithTheirLabelNamesOverHttpAndOnThePage(@TempDir Path dir) throws Exception {
        Path shared = Path.of(System.getProperty("vidkit.sharedData", "../shared/data")).resolve("yt8m");
        String shard = shared.resolve("video-level/validate000[01].tfrecord").toString(); // two real shards
        Path vocabulary = shared.resolve("vocabulary.csv");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TaggingDataset data = TaggingDataset.load(shard, false, 1, vocabulary, false, quiet, null);
        ReferencePairs.make(data, ReferencePairs.verticals(vocabulary, data.classes()), 4000, 500, 0.2, 1)
                .write(dir.resolve("pairs"), shard, data.fingerprint(), 1);
        var trained = Trainer.train(SimilarityConfig.load(null, List.of("data=" + shard, "pairs=" + dir.resolve("pairs"),
                "stage=pairwise", "epochs=2", "model.hidden=64", "model.embedding=32", "batchSize=64")),
                Trainer.Options.of(dir.resolve("runs"), "t", quiet));
        Path library = dir.resolve("videos.vkemb");
        float[] e;
        try (TrainedSimilarity model = TrainedSimilarity.load(trained.run().inferenceCheckpoint())) {
            e = model.embed(data, IntStream.range(0, data.size()).toArray());
            EmbeddingLibrary.write(library, data.ids(), e, model.embeddingDim());
        }
        ServeConfig config = ServeConfig.load(null, List.of("similarity=" + trained.run().path(), "videoLibrary=" + library,
                "videoData=" + shard, "vocabulary=" + vocabulary, "port=0", "computeThreads=1"));
        try (Server server = Server.start(config)) {
            JsonNode info = get(server, "/v1/info");
            assertFalse(info.get("matching").asBoolean());
            assertEquals(data.size(), info.get("videoLibraryItems").asInt());

            // by id: the exact top 5 by cosine (the video itself left out), each with its label names
            int q = 7;
            String id = data.ids().get(q);
            JsonNode r = post(server, "/v1/similar", "{\"id\": \"" + id + "\", \"k\": 5}", 200);
            assertEquals(names(data, q), strings(r.get("labels")));
            List<Integer> expected = IntStream.range(0, data.size()).filter(i -> i != q).boxed()
                    .sorted((a, b) -> Double.compare(dot(e, b, q, 32), dot(e, a, q, 32))).limit(5).toList();
            for (int i = 0; i < 5; i++) {
                JsonNode hit = r.get("hits").get(i);
                int row = expected.get(i);
                assertEquals(data.ids().get(row), hit.get("id").asText(), "rank " + (i + 1));
                assertEquals(dot(e, row, q, 32), hit.get("score").asDouble(), 1e-4);
                assertEquals(names(data, row), strings(hit.get("labels")));
                assertFalse(hit.get("labels").isEmpty());
            }
            assertTrue(names(data, q).stream().anyMatch(n -> !n.startsWith("class ")), "real names from vocabulary.csv");

            // by features: a video's own video-level features (mean_rgb ⊕ mean_audio) find it first
            StringBuilder f = new StringBuilder("{\"k\": 3, \"features\": [[");
            float[] v = data.visual().get(q);
            float[] a = data.audio().get(q);
            for (int d = 0; d < v.length + a.length; d++) {
                f.append(d == 0 ? "" : ",").append(d < v.length ? v[d] : a[d - v.length]);
            }
            JsonNode byFeatures = post(server, "/v1/similar", f.append("]]}").toString(), 200);
            assertEquals(id, byFeatures.get("hits").get(0).get("id").asText());
            assertEquals(1.0, byFeatures.get("hits").get(0).get("score").asDouble(), 1e-4);
            post(server, "/v1/similar", "{\"features\": [[1, 2, 3]]}", 400);

            // no matching run here: matching is refused with the reason, as are uploads of video files
            JsonNode refused = post(server, "/v1/match", "{\"id\": \"" + id + "\"}", 409);
            assertEquals("no_matching_run", refused.get("error").get("type").asText());
            HttpResponse<String> upload = CLIENT.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/similar"))
                    .header("Content-Type", "video/mp4").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(409, upload.statusCode(), upload.body());
            assertTrue(upload.body().contains("feature_mismatch"), upload.body());

            // the page: videos listed with their labels; a picked video's neighbours shown with theirs
            try (HeadlessChromium browser = new HeadlessChromium(1200, 1000)) {
                browser.open(server.baseUri() + "/");
                assertTrue(browser.waitFor("return document.body.dataset.ready === 'true';", Duration.ofSeconds(20)),
                        browser.execute("return document.getElementById('status').textContent;").asText());
                assertTrue(browser.execute("return document.getElementById('match-section').hidden;").asBoolean());
                String listed = browser.execute("return document.querySelector('#items li[data-id=\"" + id
                        + "\"]').textContent;").asText();
                assertTrue(listed.contains(names(data, q).get(0)), listed);
                browser.execute("document.querySelector('#items li[data-id=\"" + id + "\"]').click();");
                assertTrue(browser.waitFor("return document.querySelectorAll('#similar li').length === 10;",
                        Duration.ofSeconds(20)), browser.execute("return document.getElementById('status').textContent;")
                        .asText());
                JsonNode shown = browser.execute("return Array.from(document.querySelectorAll('#similar li')).map(li => "
                        + "({id: li.dataset.id, labels: li.querySelector('small.labels').textContent}));");
                for (int i = 0; i < 5; i++) {
                    int row = expected.get(i);
                    assertEquals(data.ids().get(row), shown.get(i).get("id").asText());
                    assertEquals(String.join(", ", names(data, row)), shown.get(i).get("labels").asText());
                }
                assertTrue(browser.execute("return document.getElementById('similar-of').textContent;").asText()
                        .contains(names(data, q).get(0)));
                Path shot = Path.of("target/similar-page.png");
                java.nio.file.Files.createDirectories(shot.getParent());
                java.nio.file.Files.write(shot, browser.screenshot());
            }
        }
    }

    private static List<String> names(TaggingDataset data, int row) {
        List<String> out = new ArrayList<>();
        for (int c : data.labels()[row]) {
            String n = data.vocabulary().name(c);
            out.add(n == null || n.isEmpty() ? "class " + c : n);
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static double dot(float[] e, int a, int b, int dim) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            s += e[a * dim + d] * e[b * dim + d];
        }
        return s;
    }

    private static JsonNode get(Server server, String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode post(Server server, String path, String json, int status) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.baseUri().resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
