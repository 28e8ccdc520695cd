package vidkit.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import vidkit.data.InvalidDataException;

/**
 * A run's directory:
 *
 * <pre>
 *   config.json          the resolved config (every default filled in)
 *   provenance.json      git commit, version, seed, data fingerprint, engine, threads, command
 *   split/               train-ids.txt, validation-ids.txt
 *   metrics.csv          one line per epoch
 *   checkpoints/         last.ckpt (every epoch), best.ckpt (best validation selection metric)
 *   evaluation.json      written by the task's evaluation, with the task's other evaluation files
 *   report.html          the run report
 *   events.out.tfevents.*  TensorBoard scalars
 * </pre>
 */
public record RunDirectory(Path path) {
    public static final String CONFIG = "config.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String METRICS = "metrics.csv";
    public static final String EVALUATION = "evaluation.json";
    public static final String EVALUATION_MATRIX = "evaluation-similarity.npy";
    public static final String EVALUATION_IDS = "evaluation-ids.txt";

    /** Creates a new, uniquely named run directory {@code root/PREFIX-yyyyMMdd-HHmmss[-n]}. */
    public static RunDirectory create(Path root, String prefix) throws IOException {
        Files.createDirectories(root);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (int n = 0; ; n++) {
            Path p = root.resolve(prefix + "-" + stamp + (n == 0 ? "" : "-" + n));
            try {
                Files.createDirectory(p);
                return new RunDirectory(p);
            } catch (FileAlreadyExistsException e) {
                // try the next suffix
            }
        }
    }

    /** An existing run; fails with a clear error when {@code path} is not one. */
    public static RunDirectory open(Path path) throws InvalidDataException {
        if (!Files.isDirectory(path)) {
            throw new InvalidDataException(path, "run directory does not exist");
        }
        if (!Files.exists(path.resolve(CONFIG))) {
            throw new InvalidDataException(path, "not a vidkit run directory (no " + CONFIG + ")");
        }
        return new RunDirectory(path);
    }

    /** The task the run trained: its config's {@code "type"}. */
    public String task() throws IOException {
        com.fasterxml.jackson.databind.JsonNode type;
        try {
            type = Json.MAPPER.readTree(config().toFile()).get("type");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidDataException(config(), "not valid JSON: " + e.getOriginalMessage());
        }
        if (type == null || !type.isTextual()) {
            throw new InvalidDataException(config(), "has no \"type\" naming the run's task");
        }
        return type.asText();
    }

    /** The run's resolved config, bound to its task's record. */
    public TaskConfig readConfig() throws IOException {
        return TaskRegistry.loadConfig(config(), List.of());
    }

    /** The metrics CSV's data lines of the first {@code epochs} epochs (for a resumed run), or none. */
    public List<String> metricsLines(int epochs) throws IOException {
        if (!Files.exists(metrics())) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(metrics());
        return lines.subList(Math.min(1, lines.size()), Math.min(lines.size(), epochs + 1));
    }

    public Path config() {
        return path.resolve(CONFIG);
    }

    public Path provenance() {
        return path.resolve(PROVENANCE);
    }

    public Path metrics() {
        return path.resolve(METRICS);
    }

    public Path evaluation() {
        return path.resolve(EVALUATION);
    }

    public Path splitDir() {
        return path.resolve("split");
    }

    public Path lastCheckpoint() {
        return path.resolve("checkpoints/last.ckpt");
    }

    public Path bestCheckpoint() {
        return path.resolve("checkpoints/best.ckpt");
    }

    /** The checkpoint to use for inference: best when present, else last. */
    public Path inferenceCheckpoint() throws InvalidDataException {
        if (Files.exists(bestCheckpoint())) {
            return bestCheckpoint();
        }
        if (Files.exists(lastCheckpoint())) {
            return lastCheckpoint();
        }
        throw new InvalidDataException(path, "has no checkpoint yet (checkpoints/best.ckpt or last.ckpt)");
    }
}
