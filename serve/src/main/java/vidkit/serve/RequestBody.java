package vidkit.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's JSON object, read in one streaming pass: the fields named as matrices (per-frame
 * features, {@code [[...], ...]}) go straight into float arrays, the others into a small tree. This
 * is what keeps a 10 × 512 query (about 57 KB of JSON) cheap: no node per number, and Jackson's fast
 * floating-point parser.
 *
 * <p>Rules: the body must be one JSON object; every field must be one the route takes; a matrix is
 * an array of equally long arrays of numbers whose values fit in float32 (else {@code non_finite});
 * NaN and infinities are not JSON and are refused as malformed; a field may appear once.
 */
final class RequestBody {
    /** A {@code [rows, cols]} row-major matrix. */
    record Matrix(int rows, int cols, float[] values) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64)
                    .maxStringLength(1 << 20).build())
            .build();
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
        try (JsonParser p = FACTORY.createParser(bytes)) {
            p.setCodec(MAPPER);
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("malformed_json", null, "expected a JSON object, got " + describe(first));
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw ApiException.badRequest("malformed_json", null, "expected a field name");
                }
                String field = p.currentName();
                p.nextToken();
                if (has(scalars, matrices, field)) {
                    throw ApiException.badRequest("duplicate_field", field, "field '" + field + "' appears twice");
                }
                if (matrixFields.contains(field)) {
                    matrices.put(field, matrix(p, field));
                } else if (otherFields.contains(field)) {
                    JsonNode value = p.readValueAsTree();
                    scalars.set(field, value);
                } else {
                    java.util.TreeSet<String> all = new java.util.TreeSet<>(matrixFields);
                    all.addAll(otherFields);
                    throw ApiException.badRequest("unknown_field", field, "unknown field '" + field + "'; this route takes " + all);
                }
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("malformed_json", null, "text after the JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", null, "unreadable body: " + e.getMessage());
        }
        return new RequestBody(scalars, matrices);
    }

    private static boolean has(ObjectNode scalars, Map<String, Matrix> matrices, String field) {
        return scalars.has(field) || matrices.containsKey(field);
    }

    private static Matrix matrix(JsonParser p, String field) throws IOException, ApiException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiException.badRequest("bad_shape", field, "expected an array of frames (arrays of numbers), got "
                    + describe(p.currentToken()));
        }
        float[] values = new float[1024];
        int n = 0;
        int rows = 0;
        int cols = -1;
        for (JsonToken row = p.nextToken(); row != JsonToken.END_ARRAY; row = p.nextToken()) {
            if (row != JsonToken.START_ARRAY) {
                throw ApiException.badRequest("bad_shape", field, "frame " + rows + ": expected an array of numbers, got "
                        + describe(row));
            }
            int c = 0;
            for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
                    throw ApiException.badRequest("bad_value", field, "frame " + rows + ", value " + c + ": expected a number, got "
                            + describe(v));
                }
                float f = FastFloat.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (!Float.isFinite(f)) {
                    throw ApiException.badRequest("non_finite", field, "frame " + rows + ", value " + c + " is " + p.getText()
                            + ", outside the float32 range");
                }
                if (n == values.length) {
                    if (n >= MAX_MATRIX_VALUES) {
                        throw ApiException.badRequest("bad_shape", field, "more than " + MAX_MATRIX_VALUES + " values");
                    }
                    values = java.util.Arrays.copyOf(values, 2 * n);
                }
                values[n++] = f;
                c++;
            }
            if (cols >= 0 && c != cols) {
                throw ApiException.badRequest("bad_shape", field, "frame " + rows + " has " + c + " values; frame 0 has " + cols);
            }
            cols = c;
            rows++;
        }
        return new Matrix(rows, Math.max(cols, 0), java.util.Arrays.copyOf(values, n));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
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
}
