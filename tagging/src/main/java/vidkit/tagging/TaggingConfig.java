package vidkit.tagging;

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
import vidkit.nn.TaggerConfig;

/**
 * Everything a tagging training run needs. Defaults live here and in the parts' constructors.
 *
 * @param type the task, {@code "tagging"}
 * @param data a paired directory with {@code labels.csv} (AVE: one event per clip) or YouTube-8M
 *     shards (a file, a directory or a glob such as {@code dir/validate*.tfrecord}); required
 * @param frameLevel shards hold frame-level SequenceExamples (default false: video-level Examples)
 * @param maxFrames frames kept per video at frame level (default 300)
 * @param vocabulary YouTube-8M {@code vocabulary.csv} for class names (optional)
 * @param skipCorrupt skip corrupt records and report them instead of failing (default false)
 * @param split the train/validation split; stratification needs single-label data
 * @param model the tagger
 * @param optimizer Adam/AdamW and clipping
 * @param schedule the learning-rate schedule
 * @param noise standard deviation of Gaussian noise added to normalized features in training (default 0)
 * @param normalize standardize features with statistics of the training split (default true)
 * @param epochs maximum epochs (default 20)
 * @param batchSize videos per batch (default 256)
 * @param earlyStopping stop after this many epochs without a better validation metric (default 5; 0 = off)
 * @param seed seeds initialization, shuffling, dropout and noise (default 1)
 * @param init start one block of the tagger from another run (optional)
 * @param teacher a frozen tagger (another run with the same classes) whose predictions are distilled (optional)
 * @param distillWeight α of the distillation: loss = (1 − α)·loss(labels) + α·BCE(sigmoid(teacher logits));
 *     default 0.5 with a teacher, 0 without (where anything else is an error)
 */
public record TaggingConfig(String type, String data, Boolean frameLevel, Integer maxFrames, String vocabulary,
        Boolean skipCorrupt, SplitConfig split, TaggerConfig model, OptimizerConfig optimizer, ScheduleConfig schedule,
        Double noise, Boolean normalize, Integer epochs, Integer batchSize, Integer earlyStopping, Long seed,
        InitConfig init, TeacherConfig teacher, Double distillWeight) implements TaskConfig {
    public TaggingConfig {
        type = type == null ? "tagging" : type;
        if (!type.equals("tagging")) {
            throw new IllegalArgumentException("type must be \"tagging\", got \"" + type + "\"");
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data: the dataset (directory or shard pattern) is required");
        }
        frameLevel = frameLevel == null ? Boolean.FALSE : frameLevel;
        maxFrames = maxFrames == null ? 300 : maxFrames;
        skipCorrupt = skipCorrupt == null ? Boolean.FALSE : skipCorrupt;
        split = split == null ? SplitConfig.defaults() : split;
        model = model == null ? TaggerConfig.defaults() : model;
        optimizer = optimizer == null ? OptimizerConfig.defaults() : optimizer;
        schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
        noise = noise == null ? 0.0 : noise;
        normalize = normalize == null ? Boolean.TRUE : normalize;
        epochs = epochs == null ? 20 : epochs;
        batchSize = batchSize == null ? 256 : batchSize;
        earlyStopping = earlyStopping == null ? 5 : earlyStopping;
        seed = seed == null ? 1L : seed;
        if (maxFrames < 1 || noise < 0 || epochs < 1 || batchSize < 2 || earlyStopping < 0) {
            throw new IllegalArgumentException("maxFrames >= 1, noise >= 0, epochs >= 1, batchSize >= 2 and earlyStopping >= 0 required");
        }
        distillWeight = distillWeight == null ? (teacher == null ? 0.0 : 0.5) : distillWeight;
        if (!(distillWeight >= 0 && distillWeight <= 1)) {
            throw new IllegalArgumentException("distillWeight must be in [0, 1], got " + distillWeight);
        }
        if (teacher == null && distillWeight > 0) {
            throw new IllegalArgumentException("distillWeight " + distillWeight + " needs a teacher: {\"teacher\": {\"run\": RUN}}");
        }
    }

    /** The same config reading other data (for evaluating or predicting elsewhere). */
    public TaggingConfig withData(String otherData) {
        return new TaggingConfig(type, otherData, frameLevel, maxFrames, vocabulary, skipCorrupt, split, model,
                optimizer, schedule, noise, normalize, epochs, batchSize, earlyStopping, seed, init, teacher, distillWeight);
    }

    public static TaggingConfig load(Path file, List<String> overrides) throws IOException {
        return Configs.bind(Configs.readTree(file, overrides), TaggingConfig.class, Configs.source(file));
    }

    public static TaggingConfig parse(com.fasterxml.jackson.databind.node.ObjectNode root, Path source)
            throws InvalidDataException {
        return Configs.bind(root, TaggingConfig.class, source);
    }
}
