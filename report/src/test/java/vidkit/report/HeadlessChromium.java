package vidkit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real headless Chromium driven over the W3C WebDriver protocol (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them where missing), with Java's HTTP client:
 * open a page, run a script in it, take a screenshot.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String session;

    static Path binary(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("none of " + List.of(candidates) + " is installed: run .ci/run (it installs "
                + "Debian's chromium and chromium-driver) or apt-get install chromium chromium-driver");
    }

    public HeadlessChromium(int width, int height) throws Exception {
        Path chromedriver = binary("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        Path chromium = binary("/usr/bin/chromium", "/usr/lib/chromium/chromium");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (request("GET", "/status", null).path("value").path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                driver.destroyForcibly();
                throw new IllegalStateException("chromedriver did not start on port " + port);
            }
            Thread.sleep(100);
        }
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode options = always.putObject("goog:chromeOptions");
        options.put("binary", chromium.toString());
        var args = options.putArray("args");
        for (String a : List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height)) {
            args.add(a);
        }
        JsonNode created = request("POST", "/session", caps);
        session = created.path("value").path("sessionId").asText();
        if (session.isEmpty()) {
            close();
            throw new IllegalStateException("no WebDriver session: " + created);
        }
    }

    private JsonNode request(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public void open(String url) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        request("POST", "/session/" + session + "/url", body);
    }

    /** Runs {@code script} (a function body; {@code return} gives the value) in the page. */
    public JsonNode execute(String script) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        JsonNode r = request("POST", "/session/" + session + "/execute/sync", body);
        return r.path("value");
    }

    public byte[] screenshot() throws IOException {
        return Base64.getDecoder().decode(request("GET", "/session/" + session + "/screenshot", null).path("value").asText());
    }

    /** Types {@code text} into the element matched by {@code css} (for a file input: the file's path). */
    public void sendKeys(String css, String text) throws IOException {
        ObjectNode find = JSON.createObjectNode().put("using", "css selector").put("value", css);
        JsonNode element = request("POST", "/session/" + session + "/element", find).path("value");
        String id = element.path("element-6066-11e4-a52e-4f735466cecf").asText();
        if (id.isEmpty()) {
            throw new IOException("no element " + css + ": " + element);
        }
        request("POST", "/session/" + session + "/element/" + id + "/value", JSON.createObjectNode().put("text", text));
    }

    /** Runs {@code script} until it returns true, up to {@code timeout}; false if it never did. */
    public boolean waitFor(String script, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (execute(script).asBoolean(false)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                request("DELETE", "/session/" + session, null);
            }
        } catch (IOException e) {
            // the driver is going away anyway
        } finally {
            driver.destroy();
        }
    }
}
