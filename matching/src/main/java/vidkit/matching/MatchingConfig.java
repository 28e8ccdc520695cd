package vidkit.matching;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import vidkit.core.Configs;
import vidkit.core.InitConfig;
import vidkit.core.OptimizerConfig;
import vidkit.core.ScheduleConfig;
import vidkit.core.TaskConfig;
import vidkit.core.TeacherConfig;
import vidkit.data.InvalidDataException;
import vidkit.data.SplitConfig;
import vidkit.nn.LocalMixConfig;
import vidkit.nn.MatchingModelConfig;

/**
 * Everything a matching training run needs ({@code "type": "matching"}); one JSON file drives the CLI.
 * Defaults live in the constructors of this record and of its parts, nowhere else.
 *
 * @param type the task, {@code "matching"}
 * @param data the paired dataset directory (required)
 * @param split the train/validation split
 * @param model the model, by its {@code "type"}
 * @param optimizer Adam/AdamW settings and gradient clipping
 * @param schedule the learning-rate schedule
 * @param augment training-time augmentation
 * @param evaluation evaluation protocol
 * @param epochs maximum epochs (default 40)
 * @param batchSize true pairs per batch (default 128)
 * @param earlyStopping stop after this many epochs without improvement of the validation MRR
 *     (default 8; 0 = off)
 * @param seed seeds initialization, shuffling, negatives, dropout and augmentation (default 1)
 * @param init start one block of the model from another run (optional)
 * @param teacher a frozen model beside the trained one (optional; the matching losses do not use one yet,
 *     so it is refused)
 */
public record MatchingConfig(String type, String data, SplitConfig split, MatchingModelConfig model,
        OptimizerConfig optimizer, ScheduleConfig schedule, AugmentConfig augment, EvalConfig evaluation,
        Integer epochs, Integer batchSize, Integer earlyStopping, Long seed, InitConfig init, TeacherConfig teacher)
        implements TaskConfig {
    public MatchingConfig {
        type = type == null ? "matching" : type;
        if (!type.equals("matching")) {
            throw new IllegalArgumentException("type must be \"matching\", got \"" + type + "\"");
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data: the dataset directory is required");
        }
        split = split == null ? SplitConfig.defaults() : split;
        model = model == null ? LocalMixConfig.defaults() : model;
        optimizer = optimizer == null ? OptimizerConfig.defaults() : optimizer;
        schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
        augment = augment == null ? AugmentConfig.defaults() : augment;
        evaluation = evaluation == null ? EvalConfig.defaults() : evaluation;
        epochs = epochs == null ? 40 : epochs;
        batchSize = batchSize == null ? 128 : batchSize;
        earlyStopping = earlyStopping == null ? 8 : earlyStopping;
        seed = seed == null ? 1L : seed;
        if (epochs < 1 || batchSize < 2 || earlyStopping < 0) {
            throw new IllegalArgumentException("epochs >= 1, batchSize >= 2 and earlyStopping >= 0 required");
        }
        if (teacher != null) {
            throw new IllegalArgumentException("teacher: no matching loss uses a teacher yet (the tagging task distils one)");
        }
    }

    /** Reads a config file and applies {@code key=value} overrides; errors name the file. */
    public static MatchingConfig load(Path file, List<String> overrides) throws IOException {
        return Configs.bind(Configs.readTree(file, overrides), MatchingConfig.class, Configs.source(file));
    }

    /** Binds a JSON tree; unknown keys and invalid values become an error naming {@code source}. */
    public static MatchingConfig parse(ObjectNode root, Path source) throws InvalidDataException {
        return Configs.bind(root, MatchingConfig.class, source);
    }

    /** The data directory, resolved against {@code base} when relative. */
    public Path dataPath(Path base) {
        Path p = Path.of(data);
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }
}
