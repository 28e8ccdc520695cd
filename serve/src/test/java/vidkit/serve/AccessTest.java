package vidkit.serve;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Json;

/**
 * Access control over real HTTPS on loopback: a certificate made in the test with the JDK's keytool
 * (a real process), the API token from a file, every route but {@code /healthz} refusing requests
 * without it (401 with a Basic challenge, so a browser asks once), Bearer and Basic accepted, the
 * server's own warm-up going through TLS and the token, the access log's JSON lines; binding beyond
 * loopback without a token refused.
 */
class AccessTest {
    static final String TOKEN = "0123456789abcdef-test-token";

    /** A PKCS#12 keystore with a self-signed certificate for 127.0.0.1 and localhost. */
    static Path keystore(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "vidkit", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                ks.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return ks;
    }

    /** A client that trusts exactly the test certificate. */
    static HttpClient client(Path ks) throws Exception {
        return HttpClient.newBuilder().sslContext(tls(ks)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static SSLContext tls(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", store.getCertificate("vidkit"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    static HttpResponse<String> get(HttpClient c, URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void overHttpsEveryRouteButHealthNeedsTheTokenAndRequestsAreLogged(@TempDir Path dir) throws Exception {
        ServeFixture fixture = ServeFixture.get();
        Path ks = keystore(dir);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Path log = dir.resolve("logs/access.jsonl");
        // the server warms itself up over its own HTTPS with its own token (30 requests must all pass)
        try (Server s = Server.start(fixture.config("authTokenFile=" + tokenFile, "tlsKeystore=" + ks,
                "tlsKeystorePassword=changeit", "accessLog=" + log, "warmupQueries=30"))) {
            assertEquals(30, s.warmUpReport().requests());
            URI base = s.baseUri();
            assertEquals("https", base.getScheme());
            HttpClient c = client(ks);
            assertEquals(200, get(c, base.resolve("/healthz"), null).statusCode(), "health needs no token");
            for (String route : List.of("/v1/info", "/metrics", "/", "/app.js", "/v1/nothing-here")) {
                HttpResponse<String> r = get(c, base.resolve(route), null);
                assertEquals(401, r.statusCode(), route);
                assertEquals("Basic realm=\"vidkit\", charset=\"UTF-8\"", r.headers().firstValue("WWW-Authenticate")
                        .orElse(""), route);
                assertEquals("unauthorized", Json.MAPPER.readTree(r.body()).path("error").path("type").asText(), r.body());
                assertFalse(r.body().contains(TOKEN));
            }
            assertEquals(401, get(c, base.resolve("/v1/info"), "Bearer " + TOKEN + "x").statusCode());
            assertEquals(401, get(c, base.resolve("/v1/info"), "Bearer " + TOKEN.substring(1)).statusCode());
            assertEquals(401, get(c, base.resolve("/v1/info"), "Basic !!!").statusCode());
            assertEquals(401, get(c, base.resolve("/v1/info"), TOKEN).statusCode());
            HttpResponse<String> ok = get(c, base.resolve("/v1/info"), "Bearer " + TOKEN);
            assertEquals(200, ok.statusCode(), ok.body());
            String basic = "Basic " + Base64.getEncoder().encodeToString(("anyone:" + TOKEN).getBytes(StandardCharsets.UTF_8));
            assertEquals(200, get(c, base.resolve("/"), basic).statusCode(), "a browser's Basic credentials");
            long id = Long.parseLong(ok.headers().firstValue("X-Request-Id").orElseThrow());
            // the route review: a broken %-escape in an id never reaches a handler (the JDK server answers 400)
            try (java.net.Socket raw = tls(ks).getSocketFactory().createSocket("127.0.0.1", s.port())) {
                raw.getOutputStream().write(("GET /v1/items/a%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            }
            // plain HTTP to the HTTPS port gets no answer
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI http = URI.create("http://127.0.0.1:" + s.port() + "/healthz");
            assertThrows(java.io.IOException.class, () -> plain.send(HttpRequest.newBuilder(http)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
            List<String> lines = Files.readAllLines(log);
            var entry = lines.stream().map(l -> {
                try {
                    return Json.MAPPER.readTree(l);
                } catch (java.io.IOException e) {
                    throw new AssertionError(l, e);
                }
            }).filter(n -> n.path("id").asLong() == id).findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
            assertEquals("/v1/info", entry.path("route").asText());
            assertEquals(200, entry.path("status").asInt());
            assertEquals("GET", entry.path("method").asText());
            assertEquals("127.0.0.1", entry.path("remote").asText());
            assertTrue(entry.path("ms").asDouble() >= 0);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"status\":401")));
            assertFalse(Files.readString(log).contains(TOKEN), "the token never reaches the log");
        }
    }

    @Test
    void beyondLoopbackATokenIsRequiredAndSecretsStayOutOfToString(@TempDir Path dir) throws Exception {
        ServeFixture fixture = ServeFixture.get();
        // config errors are typed (the binder names the config), each saying what is wrong
        var e = assertThrows(vidkit.data.InvalidDataException.class, () -> fixture.config("host=0.0.0.0"));
        assertTrue(e.getMessage().contains("needs an API token"), e.getMessage());
        e = assertThrows(vidkit.data.InvalidDataException.class, () -> fixture.config("authToken=short"));
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        e = assertThrows(vidkit.data.InvalidDataException.class, () -> fixture.config("tlsKeystore=" + dir.resolve("x")));
        assertTrue(e.getMessage().contains("tlsKeystorePassword"), e.getMessage());
        e = assertThrows(vidkit.data.InvalidDataException.class, () -> fixture.config("authToken=" + TOKEN,
                "authTokenFile=x"));
        assertTrue(e.getMessage().contains("give one"), e.getMessage());
        ServeConfig c = fixture.config("host=0.0.0.0", "authToken=" + TOKEN, "tlsKeystore=k.p12",
                "tlsKeystorePassword=secret-password");
        assertFalse(c.toString().contains(TOKEN) || c.toString().contains("secret-password"), c.toString());
        assertTrue(c.toString().contains("authToken=***"));
        // a wrong keystore password is a typed error naming the file, before anything listens
        Path ks = keystore(dir);
        var bad = assertThrows(vidkit.data.InvalidDataException.class, () -> Server.start(fixture.config(
                "tlsKeystore=" + ks, "tlsKeystorePassword=wrong", "warmupQueries=0")));
        assertTrue(bad.getMessage().contains("server.p12"), bad.getMessage());
        // bound to every interface with the token: other clients must present it too
        try (Server s = Server.start(fixture.config("host=0.0.0.0", "authToken=" + TOKEN, "warmupQueries=5"))) {
            HttpClient h = HttpClient.newHttpClient();
            URI info = URI.create("http://127.0.0.1:" + s.port() + "/v1/info");
            assertEquals(401, get(h, info, null).statusCode());
            assertEquals(200, get(h, info, "Bearer " + TOKEN).statusCode());
        }
    }
}
