package vidkit.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vidkit.data.InvalidDataException;

/**
 * Reading configs: a JSON object from a file, {@code --set} overrides applied, bound to a record
 * whose constructor validates; for task configs the {@code "type"} names the task ({@link
 * TaskRegistry#bindConfig}).
 */
public final class Configs {
    private Configs() {}

    /** The name errors give for a config: the file, or {@code --set} without one. */
    public static Path source(Path file) {
        return file == null ? Path.of("--set") : file;
    }

    /** The file's JSON object (an empty one without a file) with the overrides applied. */
    public static ObjectNode readTree(Path file, List<String> overrides) throws IOException {
        ObjectNode root;
        if (file == null) {
            root = Json.MAPPER.createObjectNode();
        } else {
            if (!Files.exists(file)) {
                throw new InvalidDataException(file, "config file does not exist");
            }
            JsonNode tree;
            try {
                tree = Json.MAPPER.readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InvalidDataException(file, "not valid JSON: " + e.getOriginalMessage());
            }
            if (tree == null || !tree.isObject()) {
                throw new InvalidDataException(file, "expected a JSON object");
            }
            root = (ObjectNode) tree;
        }
        Json.applyOverrides(root, overrides);
        return root;
    }

    /** Binds a JSON tree; unknown keys and invalid values become an error naming {@code source}. */
    public static <T> T bind(ObjectNode root, Class<T> type, Path source) throws InvalidDataException {
        try {
            return Json.MAPPER.treeToValue(root, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            String msg = e instanceof com.fasterxml.jackson.databind.JsonMappingException jm
                    ? jm.getOriginalMessage() + " at " + jm.getPathReference()
                    : e.getMessage();
            Throwable c = e.getCause();
            if (c instanceof IllegalArgumentException) {
                msg = c.getMessage();
            }
            throw new InvalidDataException(source, "invalid config: " + msg);
        }
    }
}
