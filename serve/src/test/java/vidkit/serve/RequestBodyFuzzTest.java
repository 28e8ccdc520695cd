package vidkit.serve;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes request bodies as the routes read them. JSON: only {@link ApiException} with a 4xx
 * status escapes; and, differentially against Jackson (strict: trailing tokens refused), a body
 * this parser calls {@code malformed_json} is one Jackson refuses too, and a body it accepts is
 * JSON to Jackson as well, with every matrix value equal to {@code Float.parseFloat} of the number's
 * text. {@code .npy} bodies ({@code /v1/match}): only a 400 escapes, and accepted values are finite.
 */
class RequestBodyFuzzTest {
    private static final Set<String> MATRICES = Set.of("features");
    private static final Set<String> FIELDS = Set.of("k", "query", "id", "ids", "threshold", "exact");
    private static final ObjectMapper JACKSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @FuzzTest(maxDuration = "15s")
    void json(byte[] bytes) {
        RequestBody body;
        try {
            body = RequestBody.parse(bytes, MATRICES, FIELDS);
        } catch (ApiException e) {
            if (e.status() < 400 || e.status() >= 500) {
                throw new AssertionError("status " + e.status() + " for a bad body", e);
            }
            if (e.type().equals("malformed_json") && jacksonReads(bytes)) {
                throw new AssertionError("called malformed, but it is JSON to Jackson: " + e.getMessage());
            }
            return;
        }
        if (!jacksonReads(bytes)) {
            throw new AssertionError("accepted a body that is not JSON to Jackson");
        }
        try {
            body.intField("k", 5, 100);
            body.boolField("exact");
            if (body.has("query")) {
                body.text("query");
            }
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw new AssertionError("status " + e.status(), e);
            }
        }
        RequestBody.Matrix m = body.matrices.get("features");
        if (m != null) {
            List<Float> expected = numbersOf(bytes, "features");
            if (expected.size() != m.values().length || m.rows() * m.cols() != m.values().length) {
                throw new AssertionError("matrix of " + m.rows() + " × " + m.cols() + " from " + expected.size() + " numbers");
            }
            for (int i = 0; i < expected.size(); i++) {
                if (Float.floatToIntBits(expected.get(i)) != Float.floatToIntBits(m.values()[i])) {
                    throw new AssertionError("value " + i + ": " + m.values()[i] + ", Float.parseFloat says " + expected.get(i));
                }
            }
        }
    }

    /**
     * Whether the body is JSON: valid UTF-8 (RFC 8259; Jackson does not check the bytes of field
     * names: {@code {"que\xffry": 1}} reads to Jackson, found by this fuzz test) and a JSON object to Jackson.
     */
    private static boolean jacksonReads(byte[] bytes) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
        try {
            JsonNode n = JACKSON.readTree(bytes);
            return n != null && n.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /** The numbers of the top-level field's nested arrays, each through Float.parseFloat of its text. */
    private static List<Float> numbersOf(byte[] bytes, String field) {
        List<Float> out = new ArrayList<>();
        try (JsonParser p = JACKSON.getFactory().createParser(bytes)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals(field)) {
                    p.skipChildren();
                    continue;
                }
                int depth = 0;
                do {
                    JsonToken t = p.currentToken();
                    if (t == JsonToken.START_ARRAY) {
                        depth++;
                    } else if (t == JsonToken.END_ARRAY) {
                        depth--;
                    } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        out.add(Float.parseFloat(p.getText()));
                    }
                    if (depth > 0) {
                        p.nextToken();
                    }
                } while (depth > 0);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    @FuzzTest(maxDuration = "15s")
    void npy(FuzzedDataProvider data) {
        int frames = data.consumeInt(1, 12);
        int dim = data.consumeInt(1, 600);
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            float[] f = RequestBody.npyFeatures(bytes, frames, dim);
            if (f.length != frames * dim) {
                throw new AssertionError(f.length + " values for " + frames + " × " + dim);
            }
            for (float v : f) {
                if (!Float.isFinite(v)) {
                    throw new AssertionError("accepted " + v);
                }
            }
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw new AssertionError("status " + e.status(), e);
            }
        }
    }
}
