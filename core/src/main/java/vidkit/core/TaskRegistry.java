package vidkit.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import vidkit.data.InvalidDataException;

/**
 * Every {@link Task} on the class path, keyed by its {@code "type"}: found once with {@link
 * ServiceLoader} (each task module lists its implementation in {@code
 * META-INF/services/vidkit.core.Task}). The one place a config's {@code "type"} is looked up: {@code
 * train}, {@code evaluate}, {@code predict}, {@code report} and checkpoints go through it.
 */
public final class TaskRegistry {
    private static final Map<String, Task<?, ?>> TASKS = load();

    private TaskRegistry() {}

    private static Map<String, Task<?, ?>> load() {
        Map<String, Task<?, ?>> tasks = new TreeMap<>();
        for (Task<?, ?> t : ServiceLoader.load(Task.class, TaskRegistry.class.getClassLoader())) {
            Task<?, ?> previous = tasks.put(t.type(), t);
            if (previous != null) {
                throw new IllegalStateException("two tasks named " + t.type() + ": " + previous.getClass().getName()
                        + " and " + t.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(tasks);
    }

    /** The known task names, sorted. */
    public static java.util.Set<String> types() {
        return TASKS.keySet();
    }

    /** The task named {@code type}; an unknown name is an error naming {@code source} and the known ones. */
    public static Task<?, ?> forType(String type, Path source) throws InvalidDataException {
        Task<?, ?> t = TASKS.get(type);
        if (t == null) {
            throw new InvalidDataException(source, "unknown task type '" + type + "' (known: " + String.join(", ",
                    types()) + ")");
        }
        return t;
    }

    /** The config record of task {@code type}, or {@code null} when unknown. */
    static Class<?> configTypeOf(String type) {
        Task<?, ?> t = TASKS.get(type);
        return t == null ? null : t.configType();
    }

    /** The task that trained {@code run}. */
    public static Task<?, ?> forRun(RunDirectory run) throws IOException {
        return forType(run.task(), run.config());
    }

    /**
     * Binds a config object to the record of the task its {@code "type"} names; unknown keys and
     * invalid values are errors naming {@code source}.
     */
    public static TaskConfig bindConfig(ObjectNode root, Path source) throws InvalidDataException {
        if (!root.hasNonNull("type")) {
            throw new InvalidDataException(source, "the config has no \"type\" naming its task (known: "
                    + String.join(", ", types()) + ")");
        }
        return Configs.bind(root, forType(root.get("type").asText(), source).configType(), source);
    }

    /** Reads a config file with {@code --set} overrides and binds it to its task's record. */
    public static TaskConfig loadConfig(Path file, java.util.List<String> overrides) throws IOException {
        return bindConfig(Configs.readTree(file, overrides), Configs.source(file));
    }

    /** Opens the trained model of {@code run}'s inference checkpoint through its task. */
    public static TrainedModel openInference(RunDirectory run) throws IOException {
        Checkpoint c = Checkpoint.read(run.inferenceCheckpoint());
        return forType(c.taskType(), c.file()).open(c);
    }
}
