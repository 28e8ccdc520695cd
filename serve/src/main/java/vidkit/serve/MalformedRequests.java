package vidkit.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Sends many kinds of malformed requests to a running server (seeded, so a run can be repeated):
 * bodies that are not JSON, cut short, of the wrong shape or type, with NaN, infinities, huge
 * numbers, deep nesting, unknown fields, bad {@code k}, unknown ids, wrong methods, routes and
 * content types, oversized bodies, broken .npy files, invalid UTF-8, and raw-socket garbage. Counts
 * the answers by kind and status; a 5xx anywhere is a server bug.
 */
public final class MalformedRequests {
    private MalformedRequests() {}

    /** Statuses per kind of malformed request ({@code 0} = no HTTP answer, e.g. the connection was closed). */
    public record Result(int sent, Map<String, Map<Integer, Integer>> byKind) {
        public int serverErrors() {
            int n = 0;
            for (var kind : byKind.values()) {
                for (var e : kind.entrySet()) {
                    if (e.getKey() >= 500) {
                        n += e.getValue();
                    }
                }
            }
            return n;
        }

        public Map<Integer, Integer> statuses() {
            Map<Integer, Integer> all = new TreeMap<>();
            for (var kind : byKind.values()) {
                kind.forEach((s, n) -> all.merge(s, n, Integer::sum));
            }
            return all;
        }
    }

    private record Bad(String kind, String method, String path, String contentType, byte[] body) {}

    /**
     * Sends {@code count} malformed requests to {@code base}, cycling through the kinds with seeded
     * variations. {@code frames}, {@code dim} describe a valid video query
     * (all sent with HTTP/1.1 from one thread).
     */
    public static Result run(URI base, int count, int frames, int dim, long seed) throws IOException, InterruptedException {
        Random random = new Random(seed);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Map<String, Map<Integer, Integer>> byKind = new TreeMap<>();
        int kinds = 36;
        for (int i = 0; i < count; i++) {
            int kind = i % kinds;
            if (kind >= 32) {
                String post = "POST /v1/match HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
                String name;
                String raw;
                switch (kind) {
                    case 32 -> {
                        name = "raw: garbage request line";
                        raw = "BLAH " + random.nextInt() + "\r\n\r\n";
                    }
                    case 33 -> {
                        name = "raw: header line without colon";
                        raw = "POST /v1/match HTTP/1.1\r\nHost: x\r\nnot a header\r\nContent-Length: 2\r\n\r\n{}";
                    }
                    case 34 -> {
                        name = "raw: negative Content-Length";
                        raw = post + "Content-Length: -" + (1 + random.nextInt(1000)) + "\r\n\r\n{}";
                    }
                    default -> {
                        name = "raw: body shorter than Content-Length";
                        raw = post + "Content-Length: " + (100 + random.nextInt(1000)) + "\r\n\r\n{\"k\":";
                    }
                }
                byKind.computeIfAbsent(name, k -> new TreeMap<>())
                        .merge(raw(base, raw.getBytes(StandardCharsets.US_ASCII)), 1, Integer::sum);
                continue;
            }
            Bad bad = make(kind, random, frames, dim);
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(bad.path())).timeout(Duration.ofSeconds(30));
            if (bad.contentType() != null) {
                b.header("Content-Type", bad.contentType());
            }
            b.method(bad.method(), bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(bad.body()));
            int status;
            try {
                status = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            } catch (IOException e) {
                status = 0;
            }
            byKind.computeIfAbsent(bad.kind(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
        }
        return new Result(count, byKind);
    }

    private static Bad make(int kind, Random random, int frames, int dim) {
        String valid = features(frames, dim, random);
        return switch (kind) {
            case 0 -> json("not JSON", "hello, server " + random.nextInt());
            case 1 -> {
                String body = "{\"features\":" + valid + "}";
                yield json("JSON cut short", body.substring(0, 1 + random.nextInt(body.length() - 2)));
            }
            case 2 -> json("array instead of object", "[" + valid + "]");
            case 3 -> new Bad("empty body", "POST", "/v1/match", "application/json", new byte[0]);
            case 4 -> json("too few frames", "{\"features\":" + features(Math.max(0, frames - 1 - random.nextInt(frames)), dim, random) + "}");
            case 5 -> json("too many frames", "{\"features\":" + features(frames + 1 + random.nextInt(5), dim, random) + "}");
            case 6 -> json("wrong feature size", "{\"features\":" + features(frames, dim + (random.nextBoolean() ? 1 : -1), random) + "}");
            case 7 -> json("string among numbers", "{\"features\":" + valid.replaceFirst("\\[\\[[^,]*,", "[[\"x\",") + "}");
            case 8 -> json("NaN literal", "{\"features\":" + valid.replaceFirst("\\[\\[[^,]*,", "[[NaN,") + "}");
            case 9 -> json("number beyond float32", "{\"features\":" + valid.replaceFirst("\\[\\[[^,]*,", "[[1e39,") + "}");
            case 10 -> json("deep nesting", "{\"features\":" + "[".repeat(200) + "]".repeat(200) + "}");
            case 11 -> json("unknown field", "{\"features\":" + valid + ",\"kk\":3}");
            case 12 -> json("bad k", "{\"features\":" + valid + ",\"k\":" + List.of("0", "-5", "1000000000", "\"ten\"", "2.5",
                    "null", "1e3").get(random.nextInt(7)) + "}");
            case 13 -> json("unknown id", "{\"id\":\"no-such-clip-" + random.nextInt(1000) + "\"}");
            case 14 -> json("id and features", "{\"id\":\"x\",\"features\":" + valid + "}");
            case 15 -> {
                byte[] big = new byte[5 * 1024 * 1024 + random.nextInt(1000)];
                java.util.Arrays.fill(big, (byte) ' ');
                big[0] = '{';
                big[big.length - 1] = '}';
                yield new Bad("body too large", "POST", "/v1/match", "application/json", big);
            }
            case 16 -> new Bad("wrong method", random.nextBoolean() ? "GET" : "PUT", "/v1/match", null, null);
            case 17 -> new Bad("unknown route", "GET", "/v2/" + random.nextInt(100), null, null);
            case 18 -> new Bad("wrong content type", "POST", "/v1/match", "text/plain", ("{\"features\":" + valid + "}").getBytes(StandardCharsets.UTF_8));
            case 19 -> new Bad(".npy garbage", "POST", "/v1/match", "application/x-npy", randomBytes(random, 1 + random.nextInt(500)));
            case 20 -> new Bad(".npy wrong shape", "POST", "/v1/match", "application/x-npy", npy(frames, dim + 3, 0.5f));
            case 21 -> new Bad(".npy with NaN", "POST", "/v1/match", "application/x-npy", npy(frames, dim, Float.NaN));
            case 22 -> {
                byte[] n = npy(frames, dim, 0.25f);
                yield new Bad(".npy cut short", "POST", "/v1/match", "application/x-npy",
                        java.util.Arrays.copyOf(n, 1 + random.nextInt(n.length - 1)));
            }
            case 23 -> new Bad("bad query parameter", "POST", "/v1/match?k=abc", "application/x-npy", npy(frames, dim, 0.25f));
            case 24 -> new Bad("invalid UTF-8", "POST", "/v1/match", "application/json",
                    new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
            case 25 -> json("number of 1,000 digits", "{\"k\":" + "9".repeat(1000) + ",\"features\":" + valid + "}");
            case 26 -> new Bad("tags: frames differ", "POST", "/v1/tags", "application/json",
                    ("{\"visual\":" + features(3, 4, random) + ",\"audio\":" + features(2, 4, random) + "}").getBytes(StandardCharsets.UTF_8));
            case 27 -> new Bad("similarity: too many ids", "POST", "/v1/similarity", "application/json",
                    ("{\"ids\":[" + "\"a\",".repeat(99) + "\"a\"]}").getBytes(StandardCharsets.UTF_8));
            case 28 -> new Bad("similarity: ids not strings", "POST", "/v1/similarity", "application/json",
                    "{\"ids\":[1,2,{}]}".getBytes(StandardCharsets.UTF_8));
            case 29 -> new Bad("items: bad offset", "GET", "/v1/items?offset=-" + random.nextInt(9) + "&limit=x", null, null);
            case 30 -> new Bad("item: unknown id", "GET", "/v1/items/%E2%98%83-" + random.nextInt(1000), null, null);
            default -> new Bad("similar: neither id nor features", "POST", "/v1/similar", "application/json",
                    "{\"k\":3}".getBytes(StandardCharsets.UTF_8));
        };
    }

    private static Bad json(String kind, String body) {
        return new Bad(kind, "POST", "/v1/match", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String features(int frames, int dim, Random random) {
        StringBuilder b = new StringBuilder("[");
        for (int t = 0; t < frames; t++) {
            b.append(t == 0 ? "[" : ",[");
            for (int d = 0; d < Math.max(0, dim); d++) {
                b.append(d == 0 ? "" : ",").append((float) random.nextGaussian());
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A float32 .npy of {@code [frames, dim]} filled with {@code value}. */
    static byte[] npy(int frames, int dim, float value) {
        float[] values = new float[Math.max(0, frames * dim)];
        java.util.Arrays.fill(values, value);
        return npy(frames, dim, values);
    }

    /** A float32 little-endian C-order .npy of {@code values [frames, dim]}. */
    static byte[] npy(int frames, int dim, float[] values) {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + frames + ", " + dim + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * frames * dim).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Sends raw bytes over a socket and returns the status of the answer, or 0 if none came. */
    private static int raw(URI base, byte[] bytes) {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") && line.length() >= 12 ? Integer.parseInt(line.substring(9, 12)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The kinds, one line each: kind → statuses. */
    public static List<String> describe(Result r) {
        List<String> lines = new ArrayList<>();
        r.byKind().forEach((k, v) -> lines.add(String.format("  %-32s %s", k, v)));
        return lines;
    }
}
