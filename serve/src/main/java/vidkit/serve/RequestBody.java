package vidkit.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.util.Locale;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A request's JSON object, read in one pass over its bytes: the fields named as matrices (per-frame
 * features, {@code [[...], ...]}) are read straight into float arrays, numbers by the strict JSON
 * grammar and converted by {@link FastFloat} (exactly as {@code Float.parseFloat}); every other
 * field value is delimited here and parsed and validated by Jackson into a small tree. This keeps a
 * 10 × 512 query (about 57 KB of JSON) cheap: no token or node per number.
 *
 * <p>Rules: the body must be one JSON object; every field must be one the route takes, once; a
 * matrix is an array of equally long arrays of numbers whose values fit in float32 (else {@code
 * non_finite}); a string, boolean, null, object or array where a number belongs is {@code
 * bad_value}; anything that is not JSON (NaN, Infinity, a missing comma) is {@code malformed_json}.
 */
final class RequestBody {
    /** A {@code [rows, cols]} row-major matrix. */
    record Matrix(int rows, int cols, float[] values) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64)
                    .maxStringLength(1 << 20).build())
            .build();
    /** JSON's number grammar (a number longer than 64 characters is valid JSON, refused as a limit). */
    private static final java.util.regex.Pattern JSON_NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    /** A bound on values in one matrix (guards memory before the shape checks). */
    static final int MAX_MATRIX_VALUES = 1 << 22;

    final ObjectNode scalars;
    final Map<String, Matrix> matrices;

    private RequestBody(ObjectNode scalars, Map<String, Matrix> matrices) {
        this.scalars = scalars;
        this.matrices = matrices;
    }

    boolean has(String field) {
        return scalars.has(field) || matrices.containsKey(field);
    }

    /** Parses {@code bytes}; {@code matrixFields} are read as matrices, {@code otherFields} as JSON values. */
    static RequestBody parse(byte[] bytes, Set<String> matrixFields, Set<String> otherFields) throws ApiException {
        if (bytes.length == 0) {
            throw ApiException.badRequest("empty_body", null, "the body is empty; expected a JSON object");
        }
        ObjectNode scalars = MAPPER.createObjectNode();
        Map<String, Matrix> matrices = new HashMap<>();
        Cursor c = new Cursor(bytes);
        c.ws();
        if (c.peek() != '{') {
            throw ApiException.badRequest("malformed_json", null, "expected a JSON object, got " + c.describe());
        }
        c.pos++;
        c.ws();
        if (c.peek() == '}') {
            c.pos++;
        } else {
            while (true) {
                c.ws();
                if (c.peek() != '"') {
                    throw c.malformed("expected a field name");
                }
                int keyStart = c.pos;
                c.skipString();
                String field = tree(bytes, keyStart, c.pos).asText();
                c.ws();
                if (c.peek() != ':') {
                    throw c.malformed("expected ':' after the field name");
                }
                c.pos++;
                c.ws();
                if (scalars.has(field) || matrices.containsKey(field)) {
                    throw ApiException.badRequest("duplicate_field", field, "field '" + field + "' appears twice");
                }
                if (matrixFields.contains(field)) {
                    matrices.put(field, c.matrix(field));
                } else if (otherFields.contains(field)) {
                    int from = c.pos;
                    c.skipValue(0);
                    scalars.set(field, tree(bytes, from, c.pos));
                } else {
                    java.util.TreeSet<String> all = new java.util.TreeSet<>(matrixFields);
                    all.addAll(otherFields);
                    throw ApiException.badRequest("unknown_field", field, "unknown field '" + field + "'; this route takes " + all);
                }
                c.ws();
                int next = c.peek();
                if (next == '}') {
                    c.pos++;
                    break;
                }
                if (next != ',') {
                    throw c.malformed("expected ',' or '}'");
                }
                c.pos++;
            }
        }
        c.ws();
        if (c.pos != bytes.length) {
            throw c.malformed("text after the JSON object");
        }
        return new RequestBody(scalars, matrices);
    }

    /** One JSON value in {@code bytes[from, to)}, parsed and validated (escapes, UTF-8, numbers) by Jackson. */
    private static JsonNode tree(byte[] bytes, int from, int to) throws ApiException {
        // Jackson stops quietly at a NUL byte after a root-level value ("3\0" reads as 3): found by
        // fuzzing against Jackson's own reading of the whole body. No control byte but JSON's
        // whitespace belongs in a value (inside strings Jackson refuses them itself).
        for (int i = from; i < to; i++) {
            int ch = bytes[i] & 0xff;
            if (ch < 0x20 && ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
                throw ApiException.badRequest("malformed_json", null, "control byte 0x" + Integer.toHexString(ch)
                        + " at byte " + i);
            }
        }
        try (JsonParser p = FACTORY.createParser(bytes, from, to - from)) {
            p.setCodec(MAPPER);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw ApiException.badRequest("malformed_json", null, "a value is missing");
            }
            JsonNode n = p.readValueAsTree();
            if (p.nextToken() != null) {
                throw ApiException.badRequest("malformed_json", null, "unexpected text after a value");
            }
            return n;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw ApiException.badRequest("limit_exceeded", null, e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", null, "unreadable body: " + e.getMessage());
        }
    }

    /**
     * A position in the body and the byte-level reading of JSON: whitespace; strings and other values
     * delimited structurally (then handed to Jackson); matrices of numbers read directly.
     */
    private static final class Cursor {
        final byte[] b;
        int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        int peek() {
            return pos < b.length ? b[pos] & 0xff : -1;
        }

        void ws() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
                pos++;
            }
        }

        ApiException malformed(String what) {
            return ApiException.badRequest("malformed_json", null, "not valid JSON at byte " + pos + ": " + what + ", got "
                    + describe());
        }

        String describe() {
            int c = peek();
            return switch (c) {
                case -1 -> "the end of the body";
                case '{' -> "an object";
                case '[' -> "an array";
                case '"' -> "a string";
                case 't', 'f' -> "a boolean";
                case 'n' -> "null";
                default -> (c == '-' || (c >= '0' && c <= '9')) ? "a number" : "'" + (char) c + "'";
            };
        }

        /** Past a string starting at {@code pos} (escapes skipped here; Jackson validates them). */
        void skipString() throws ApiException {
            pos++;
            while (pos < b.length) {
                byte c = b[pos++];
                if (c == '\\') {
                    pos++;
                } else if (c == '"') {
                    return;
                } else if ((c & 0xff) < 0x20) {
                    pos--;
                    throw malformed("a control character inside a string");
                }
            }
            throw malformed("a string without its closing quote");
        }

        /** Past one JSON value starting at {@code pos}. */
        void skipValue(int depth) throws ApiException {
            if (depth > 64) {
                throw ApiException.badRequest("limit_exceeded", null, "nesting deeper than 64 at byte " + pos);
            }
            int c = peek();
            if (c == '"') {
                skipString();
            } else if (c == '{' || c == '[') {
                int close = c == '{' ? '}' : ']';
                pos++;
                ws();
                if (peek() == close) {
                    pos++;
                    return;
                }
                while (true) {
                    ws();
                    if (c == '{') {
                        if (peek() != '"') {
                            throw malformed("expected a field name");
                        }
                        skipString();
                        ws();
                        if (peek() != ':') {
                            throw malformed("expected ':'");
                        }
                        pos++;
                        ws();
                    }
                    skipValue(depth + 1);
                    ws();
                    int n = peek();
                    if (n == close) {
                        pos++;
                        return;
                    }
                    if (n != ',') {
                        throw malformed("expected ',' or '" + (char) close + "'");
                    }
                    pos++;
                }
            } else if (c == -1) {
                throw malformed("a value is missing");
            } else {
                // a number or a literal: up to the next delimiter; Jackson checks it
                int start = pos;
                while (pos < b.length && b[pos] != ',' && b[pos] != '}' && b[pos] != ']' && b[pos] != ' ' && b[pos] != '\n'
                        && b[pos] != '\r' && b[pos] != '\t') {
                    pos++;
                }
                if (pos == start) {
                    throw malformed("a value is missing");
                }
            }
        }

        /** An array of equally long arrays of numbers. */
        Matrix matrix(String field) throws ApiException {
            if (peek() != '[') {
                if (peek() == -1 || peek() == ',' || peek() == '}') {
                    throw malformed("a value is missing");
                }
                throw ApiException.badRequest("bad_shape", field, "expected an array of frames (arrays of numbers), got "
                        + describe());
            }
            pos++;
            float[] values = new float[1024];
            int n = 0;
            int rows = 0;
            int cols = -1;
            ws();
            if (peek() == ']') {
                pos++;
                return new Matrix(0, 0, new float[0]);
            }
            while (true) {
                ws();
                if (peek() != '[') {
                    if (peek() == -1) {
                        throw malformed("the array of frames is not closed");
                    }
                    throw ApiException.badRequest("bad_shape", field, "frame " + rows + ": expected an array of numbers, got "
                            + describe());
                }
                pos++;
                int count = 0;
                ws();
                if (peek() == ']') {
                    pos++;
                } else {
                    while (true) {
                        ws();
                        if (n == values.length) {
                            if (n >= MAX_MATRIX_VALUES) {
                                throw ApiException.badRequest("bad_shape", field, "more than " + MAX_MATRIX_VALUES + " values");
                            }
                            values = java.util.Arrays.copyOf(values, 2 * n);
                        }
                        int start = pos;
                        int after = FastFloat.parse(b, pos, b.length, values, n);
                        if (after < 0) {
                            int c = peek();
                            if (c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' || c == 'n') {
                                throw ApiException.badRequest("bad_value", field, "frame " + rows + ", value " + count
                                        + ": expected a number, got " + describe());
                            }
                            int end = pos;
                            while (end < b.length && (b[end] >= '0' && b[end] <= '9' || b[end] == '-' || b[end] == '+'
                                    || b[end] == '.' || b[end] == 'e' || b[end] == 'E')) {
                                end++;
                            }
                            java.util.regex.Matcher number = JSON_NUMBER.matcher(
                                    new String(b, pos, end - pos, StandardCharsets.US_ASCII));
                            if (number.lookingAt() && number.end() > 64) {
                                // valid JSON, beyond a limit (found by fuzzing: it was called malformed)
                                throw ApiException.badRequest("limit_exceeded", field, "frame " + rows + ", value " + count
                                        + ": a number of " + (end - pos) + " characters; at most 64 are accepted");
                            }
                            throw malformed("expected a number");
                        }
                        pos = after;
                        float f = values[n];
                        if (!Float.isFinite(f)) {
                            throw ApiException.badRequest("non_finite", field, "frame " + rows + ", value " + count + " is "
                                    + new String(b, start, pos - start, StandardCharsets.US_ASCII) + ", outside the float32 range");
                        }
                        n++;
                        count++;
                        ws();
                        int d = peek();
                        if (d == ']') {
                            pos++;
                            break;
                        }
                        if (d != ',') {
                            throw malformed("expected ',' or ']' in frame " + rows);
                        }
                        pos++;
                    }
                }
                if (cols >= 0 && count != cols) {
                    throw ApiException.badRequest("bad_shape", field, "frame " + rows + " has " + count + " values; frame 0 has "
                            + cols);
                }
                cols = count;
                rows++;
                ws();
                int d = peek();
                if (d == ']') {
                    pos++;
                    return new Matrix(rows, cols, java.util.Arrays.copyOf(values, n));
                }
                if (d != ',') {
                    throw malformed("expected ',' or ']' after frame " + (rows - 1));
                }
                pos++;
            }
        }
    }

    /** The matrix {@code field} checked to be {@code [rows, cols]} ({@code rows} &lt; 0: any count ≥ 1). */
    float[] matrix(String field, int rows, int cols) throws ApiException {
        Matrix m = matrices.get(field);
        if (m == null) {
            throw ApiException.badRequest("missing_field", field, "expected [" + (rows < 0 ? "frames" : rows) + "][" + cols
                    + "] numbers");
        }
        if ((rows >= 0 && m.rows() != rows) || (rows < 0 && m.rows() < 1) || (m.rows() > 0 && m.cols() != cols)) {
            throw ApiException.badRequest("bad_shape", field, "expected " + (rows < 0 ? "frames" : rows) + " frames of " + cols
                    + " numbers, got " + m.rows() + " frames of " + m.cols());
        }
        return m.values();
    }

    // ---- reading a request: media type, bytes within limits, .npy bodies, query strings, typed fields ----

    /**
     * The body's media type: application/json (also when absent), application/x-npy, or a video
     * file ({@code video/*}, returned as {@value #VIDEO}); else 415.
     */
    static String contentType(HttpExchange ex) throws ApiException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null) {
            return "application/json";
        }
        String base = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (base.startsWith("video/")) {
            return VIDEO;
        }
        if (!base.equals("application/json") && !base.equals("application/x-npy")) {
            throw new ApiException(415, "unsupported_media_type", null, "Content-Type " + base
                    + " is not accepted; send application/json, a video file (video/*: /v1/match, /v1/tags, /v1/similar) "
                    + "or application/x-npy (/v1/match)");
        }
        return base;
    }

    /** What {@link #contentType} answers for any {@code video/*} body. */
    static final String VIDEO = "video/*";

    /**
     * The body's bytes, at most {@code maxBodyBytes} (413 beyond); a body shorter than its
     * Content-Length, or a chunked body cut off, is a 400 {@code truncated_body}.
     */
    static byte[] read(HttpExchange ex, int maxBodyBytes) throws ApiException, IOException {
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
            if (n > maxBodyBytes) {
                if (n <= 2L * maxBodyBytes) {
                    swallow(ex, n); // so that the client, still sending, gets to read its 413
                }
                throw new ApiException(413, "body_too_large", null, "the body has " + n + " bytes; at most "
                        + maxBodyBytes + " are accepted");
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
                b = in.readNBytes(maxBodyBytes + 1);
            } catch (IOException e) {
                throw ApiException.badRequest("truncated_body", null, "the chunked body could not be read to its end: "
                        + e.getMessage());
            }
            if (b.length > maxBodyBytes) {
                swallow(ex, maxBodyBytes - 1L);
                throw new ApiException(413, "body_too_large", null, "the body is larger than " + maxBodyBytes
                        + " bytes");
            }
            return b;
        }
    }

    /**
     * Reads and discards up to {@code limit} more bytes of a refused body. A server that answers 413
     * and closes while the client is still sending makes the client's TCP stack see a reset, and
     * most clients then lose the answer; so a body up to twice the limit is read to its end first
     * (bounded work), and only a larger one is cut off by closing the connection.
     */
    private static void swallow(HttpExchange ex, long limit) {
        try {
            InputStream in = ex.getRequestBody();
            byte[] scratch = new byte[64 * 1024];
            for (long left = limit; left > 0; ) {
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (r <= 0) {
                    break;
                }
                left -= r;
            }
        } catch (IOException e) {
            // the client stopped sending: the 413 is still worth trying
        }
    }

    /** A JSON body read and parsed for a route that takes only JSON. */
    static RequestBody ofJson(HttpExchange ex, int maxBodyBytes, Set<String> matrices, Set<String> fields)
            throws ApiException, IOException {
        if (!contentType(ex).equals("application/json")) {
            throw new ApiException(415, "unsupported_media_type", null, "this route takes application/json"
                    + (ex.getRequestURI().getPath().equals("/v1/similarity") ? "" : " or a video file (video/*)"));
        }
        return parse(read(ex, maxBodyBytes), matrices, fields);
    }

    /** A string field; anything else is a 400 {@code bad_field}. */
    String text(String field) throws ApiException {
        JsonNode n = scalars.get(field);
        if (n == null || !n.isTextual()) {
            throw ApiException.badRequest("bad_field", field, "expected a string");
        }
        return n.asText();
    }

    /** The single {@code [frames, dim]} float array of an .npy body. */
    static float[] npyFeatures(byte[] bytes, int frames, int dim) throws ApiException {
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

    /** An integer field in {@code [1, max]}, {@code dflt} when absent. */
    int intField(String field, int dflt, int max) throws ApiException {
        JsonNode n = scalars.get(field);
        if (n == null) {
            return dflt;
        }
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > max) {
            throw ApiException.badRequest("bad_field", field, "expected an integer in [1, " + max + "], got " + n);
        }
        return n.asInt();
    }

    /** A boolean field, false when absent. */
    boolean boolField(String field) throws ApiException {
        JsonNode n = scalars.get(field);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest("bad_field", field, "expected true or false, got " + n);
        }
        return n.asBoolean();
    }

    /** The decoded query parameters. */
    static Map<String, String> query(HttpExchange ex) throws ApiException {
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

    static int intParam(Map<String, String> q, String key, int dflt, int min, int max) throws ApiException {
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

    static boolean boolParam(Map<String, String> q, String key) throws ApiException {
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
}
