package vidkit.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vidkit.core.RunDirectory;
import vidkit.data.PairedDataset;
import vidkit.qa.TrainedAnswerer;
import vidkit.report.HeadlessChromium;

/**
 * {@code POST /v1/ask} over real HTTP with the fixture's question-answering run: by id and by the
 * clip's features the server gives exactly what the run gives when asked directly; bad questions
 * are 400s naming the field and the reason; a server without a run says 409. In headless Chromium,
 * the question box under a picked video shows the top answers.
 */
class AskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String QUESTION = "When does the event start?";

    @Test
    void answersOverHttpEqualTheRunsOwnAndTheQuestionBoxShowsThem() throws Exception {
        ServeFixture fixture = ServeFixture.get();
        PairedDataset data = PairedDataset.load(fixture.data);
        String id = data.ids().get(5);
        int pv = data.frames() * data.video().dim();
        int pa = data.frames() * data.audio().dim();
        float[] v = Arrays.copyOfRange(data.video().values(), 5 * pv, 6 * pv);
        float[] a = Arrays.copyOfRange(data.audio().values(), 5 * pa, 6 * pa);
        List<TrainedAnswerer.Answer> direct;
        try (TrainedAnswerer answerer = TrainedAnswerer.load(RunDirectory.open(fixture.answerer).inferenceCheckpoint())) {
            direct = answerer.answer(v, a, QUESTION, 5);
        }
        try (Server server = Server.start(fixture.config())) {
            assertTrue(get(server, "/v1/info").get("answerer").asBoolean());
            JsonNode r = post(server, "{\"id\": \"" + id + "\", \"question\": \"" + QUESTION + "\"}", 200);
            assertEquals(direct.get(0).answer(), r.get("answer").asText());
            assertEquals(5, r.get("answers").size());
            for (int i = 0; i < 5; i++) {
                assertEquals(direct.get(i).answer(), r.get("answers").get(i).get("answer").asText());
                assertEquals(direct.get(i).probability(), r.get("answers").get(i).get("probability").asDouble(), 1e-6);
            }
            // the same clip's features sent: the same answers
            JsonNode byFeatures = post(server, "{\"question\": \"" + QUESTION + "\", \"k\": 2, \"visual\": "
                    + matrix(v, data.frames()) + ", \"audio\": " + matrix(a, data.frames()) + "}", 200);
            assertEquals(2, byFeatures.get("answers").size());
            assertEquals(direct.get(0).probability(), byFeatures.get("answers").get(0).get("probability").asDouble(), 1e-5);

            assertError(server, "{\"id\": \"" + id + "\", \"question\": \"  \"}", 400, "empty", "question");
            assertError(server, "{\"id\": \"" + id + "\", \"question\": \"" + "when ".repeat(120) + "\"}", 400, "too_long",
                    "question");
            assertError(server, "{\"id\": \"" + id + "\", \"question\": \"Quel temps fait-il?\"}", 400, "no_known_word",
                    "question");
            assertError(server, "{\"id\": \"" + id + "\"}", 400, "missing_field", "question");
            assertError(server, "{\"id\": \"" + id + "\", \"question\": 7}", 400, "bad_field", "question");
            assertError(server, "{\"id\": \"nope\", \"question\": \"" + QUESTION + "\"}", 404, null, "id");
            assertError(server, "{\"question\": \"" + QUESTION + "\", \"visual\": [[1, 2]], \"audio\": [[1]]}", 400, null,
                    "visual");

            try (HeadlessChromium browser = new HeadlessChromium(1200, 1000)) {
                browser.open(server.baseUri() + "/");
                assertTrue(browser.waitFor("return document.body.dataset.ready === 'true';", Duration.ofSeconds(30)));
                assertFalse(browser.execute("return document.getElementById('ask-section').hidden;").asBoolean());
                browser.execute("document.querySelector('#items li[data-id=\"" + id + "\"]').click();");
                assertTrue(browser.waitFor("return document.getElementById('status').textContent.startsWith('" + id + ":');",
                        Duration.ofSeconds(20)));
                browser.execute("document.getElementById('question').value = '" + QUESTION + "';"
                        + "document.getElementById('ask').click();");
                assertTrue(browser.waitFor("return document.querySelectorAll('#answers .answer').length === 5;",
                        Duration.ofSeconds(20)), browser.execute("return document.getElementById('status').textContent;")
                        .asText());
                assertEquals(direct.get(0).answer(), browser.execute(
                        "return document.querySelector('#answers .answer span').textContent;").asText());
                assertTrue(browser.execute("return document.getElementById('status').textContent;").asText()
                        .endsWith("→ " + direct.get(0).answer()));
                Path shot = Path.of("target/ask-page.png");
                java.nio.file.Files.createDirectories(shot.getParent());
                java.nio.file.Files.write(shot, browser.screenshot());
            }
        }
        try (Server server = Server.start(fixture.config("answerer=null"))) {
            assertError(server, "{\"id\": \"" + id + "\", \"question\": \"" + QUESTION + "\"}", 409, "no_answerer", null);
        }
    }

    private static String matrix(float[] x, int rows) {
        int cols = x.length / rows;
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : ",[");
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ",").append(x[r * cols + c]);
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    private static void assertError(Server server, String body, int status, String type, String field) throws Exception {
        JsonNode e = post(server, body, status).get("error");
        if (type != null) {
            assertEquals(type, e.get("type").asText(), e.toString());
        }
        if (field != null) {
            assertEquals(field, e.get("field").asText(), e.toString());
        }
    }

    private static JsonNode get(Server server, String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode post(Server server, String json, int status) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/ask"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
