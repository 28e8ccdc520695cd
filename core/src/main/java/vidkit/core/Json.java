package vidkit.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;

/** The one JSON mapper: unknown keys are errors, output is indented. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    /**
     * Applies {@code key=value} overrides to a JSON object: {@code key} is a dotted path
     * ({@code model.hidden}), {@code value} is parsed as JSON when it parses (numbers, booleans,
     * objects) and taken as a string otherwise. Intermediate objects are created as needed; a
     * non-object on the path is an error.
     */
    public static ObjectNode applyOverrides(ObjectNode root, List<String> overrides) {
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got '" + o + "'");
            }
            String[] path = o.substring(0, eq).split("\\.");
            String raw = o.substring(eq + 1);
            JsonNode value;
            try {
                value = MAPPER.readTree(raw);
                if (value == null || value.isMissingNode()) {
                    value = TextNode.valueOf(raw);
                }
            } catch (JsonProcessingException e) {
                value = TextNode.valueOf(raw);
            }
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = node.get(path[i]);
                if (child == null || child.isNull()) {
                    child = node.putObject(path[i]);
                } else if (!child.isObject()) {
                    throw new IllegalArgumentException("--set " + o + ": '" + path[i] + "' is not an object");
                }
                node = (ObjectNode) child;
            }
            node.set(path[path.length - 1], value);
        }
        return root;
    }
}
