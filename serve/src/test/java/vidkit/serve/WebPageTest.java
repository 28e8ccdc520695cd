package vidkit.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import vidkit.data.PairedDataset;
import vidkit.report.HeadlessChromium;

/** The page served by the server, in a real headless Chromium: pick an item, upload an .npy, draw a heatmap. */
class WebPageTest {
    @Test
    void aUserPicksAnItemUploadsFeaturesAndDrawsTheHeatmap() throws Exception {
        ServeFixture fixture = ServeFixture.get();
        PairedDataset data = PairedDataset.load(fixture.data);
        try (Server server = Server.start(fixture.config()); HeadlessChromium browser = new HeadlessChromium(1200, 1400)) {
            browser.open(server.baseUri() + "/");
            assertTrue(browser.waitFor("return document.body.dataset.ready === 'true';", Duration.ofSeconds(20)),
                    "the page did not load: " + browser.execute("return document.getElementById('status').textContent;"));
            assertEquals(50, browser.execute("return document.querySelectorAll('#items li').length;").asInt());
            assertTrue(browser.execute("return document.getElementById('info').textContent;").asText()
                    .contains(ServeFixture.CLIPS + " audio clips"));

            // pick the fourth item: its matches, tags and similar videos are shown
            String id = data.ids().get(3);
            browser.execute("document.querySelector('#items li[data-id=\"" + id + "\"]').click();");
            assertTrue(browser.waitFor("return document.querySelectorAll('#matches tbody tr').length === 10 "
                    + "&& document.querySelectorAll('#tags .tag').length === 4 "
                    + "&& document.querySelectorAll('#similar li').length === 5;", Duration.ofSeconds(20)),
                    "no results: " + browser.execute("return document.getElementById('status').textContent;"));
            JsonNode shown = browser.execute("""
                    return Array.from(document.querySelectorAll('#matches tbody tr')).map(tr => ({
                      id: tr.dataset.id, score: parseFloat(tr.children[2].textContent),
                      bar: tr.querySelector('.bar').getBoundingClientRect().width}));""");
            JsonNode served = ServerTestClient.match(server, id);
            for (int i = 0; i < 10; i++) {
                assertEquals(served.get(i).get("id").asText(), shown.get(i).get("id").asText());
                assertEquals(served.get(i).get("score").asDouble(), shown.get(i).get("score").asDouble(), 1e-4);
                assertTrue(shown.get(i).get("bar").asDouble() >= 1, "a score bar is drawn");
            }
            String status = browser.execute("return document.getElementById('status').textContent;").asText();
            assertTrue(status.startsWith(id + ":"), status);
            JsonNode tagNames = browser.execute("return Array.from(document.querySelectorAll('#tags .tag')).map(t => t.dataset.name);");
            assertEquals(4, tagNames.size()); // k = 5, but the fixture's data has 4 classes

            // the heatmap of the item and the next 15
            browser.execute("document.getElementById('batch').click();");
            assertTrue(browser.waitFor("return document.getElementById('heatmap').dataset.cells === '256';", Duration.ofSeconds(20)),
                    browser.execute("return document.getElementById('status').textContent;").asText());
            int coloured = browser.execute("""
                    const c = document.getElementById('heatmap').getContext('2d').getImageData(0, 0, 520, 520).data;
                    let n = 0; for (let i = 3; i < c.length; i += 4) if (c[i] > 0) n++; return n;""").asInt();
            assertTrue(coloured > 100_000, "heatmap pixels drawn: " + coloured);

            // upload a clip's features as .npy through the file input
            int per = ServeFixture.FRAMES * ServeFixture.VIDEO_DIM;
            Path npy = fixture.root.resolve("upload-0009.npy");
            Files.write(npy, MalformedRequests.npy(ServeFixture.FRAMES, ServeFixture.VIDEO_DIM,
                    java.util.Arrays.copyOfRange(data.video().values(), 9 * per, 10 * per)));
            browser.sendKeys("#upload", npy.toString());
            assertTrue(browser.waitFor("return document.getElementById('status').textContent.startsWith('upload-0009.npy: top');",
                    Duration.ofSeconds(20)), browser.execute("return document.getElementById('status').textContent;").asText());
            JsonNode uploaded = browser.execute("return Array.from(document.querySelectorAll('#matches tbody tr')).map(tr => tr.dataset.id);");
            JsonNode byId = ServerTestClient.match(server, data.ids().get(9));
            for (int i = 0; i < 10; i++) {
                assertEquals(byId.get(i).get("id").asText(), uploaded.get(i).asText());
            }

            // a wrong upload shows the server's error
            Path bad = fixture.root.resolve("bad.npy");
            Files.write(bad, MalformedRequests.npy(3, 4, 0.5f));
            browser.sendKeys("#upload", bad.toString());
            assertTrue(browser.waitFor("return document.getElementById('status').className === 'error';", Duration.ofSeconds(20)));
            assertTrue(browser.execute("return document.getElementById('status').textContent;").asText().contains("bad_shape"));

            // a video file goes to the server as video/*; this run was trained on other features, and the page says so
            vidkit.media.MediaFixtures.requireTools();
            Path video = vidkit.media.MediaFixtures.clip(fixture.root.resolve("upload.mp4"), "eagle.jpg",
                    vidkit.media.MediaFixtures.sound("bell.oga"), 2, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac");
            browser.execute("document.getElementById('status').className = '';");
            browser.sendKeys("#upload", video.toString());
            assertTrue(browser.waitFor("return document.getElementById('status').className === 'error';", Duration.ofSeconds(20)));
            String said = browser.execute("return document.getElementById('status').textContent;").asText();
            assertTrue(said.startsWith("upload.mp4:") && said.contains("feature_mismatch"), said);

            Path shot = Path.of("target/serve-page.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
        }
    }

    /** The server's own answer, straight over HTTP. */
    static final class ServerTestClient {
        static JsonNode match(Server server, String id) throws Exception {
            var client = java.net.http.HttpClient.newHttpClient();
            var r = client.send(java.net.http.HttpRequest.newBuilder(server.baseUri().resolve("/v1/match"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"k\":10}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("hits");
        }
    }
}
