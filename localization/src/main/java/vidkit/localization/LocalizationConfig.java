package vidkit.localization;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import vidkit.core.Configs;
import vidkit.core.InitConfig;
import vidkit.core.OptimizerConfig;
import vidkit.core.ScheduleConfig;
import vidkit.core.TaskConfig;
import vidkit.core.TeacherConfig;
import vidkit.data.SplitConfig;
import vidkit.nn.LocalizerConfig;

/**
 * Everything an event-localization run needs ({@code "type": "localization"}). Defaults live here.
 *
 * @param type {@code "localization"}
 * @param data a paired directory whose {@code labels.csv} has {@code label}, {@code start_s} and
 *     {@code end_s} (AVE; required)
 * @param split the train/validation split (seeded, stratified by class, grouped by source video)
 * @param model the localizer
 * @param optimizer Adam/AdamW and clipping
 * @param schedule the learning-rate schedule
 * @param noise Gaussian noise on normalized features in training (default 0.1)
 * @param epochs maximum epochs (default 40)
 * @param batchSize clips per batch (default 64)
 * @param earlyStopping stop after this many epochs without a better validation segment accuracy (default 10)
 * @param seed seeds initialization, shuffling, dropout and noise (default 1)
 * @param baselineTagger a tagging run on the same clips whose class, put at every second, is the
 *     "tagger class at every second" baseline of the evaluation (optional)
 * @param init start one block of the localizer from another run (optional)
 * @param teacher refused: no localization loss uses one
 */
public record LocalizationConfig(String type, String data, SplitConfig split, LocalizerConfig model,
        OptimizerConfig optimizer, ScheduleConfig schedule, Double noise, Integer epochs, Integer batchSize,
        Integer earlyStopping, Long seed, String baselineTagger, InitConfig init, TeacherConfig teacher)
        implements TaskConfig {
    public LocalizationConfig {
        type = type == null ? "localization" : type;
        if (!type.equals("localization")) {
            throw new IllegalArgumentException("type must be \"localization\", got \"" + type + "\"");
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data: the paired directory with labels.csv (start_s, end_s) is required");
        }
        split = split == null ? SplitConfig.defaults() : split;
        model = model == null ? LocalizerConfig.defaults() : model;
        optimizer = optimizer == null ? OptimizerConfig.defaults() : optimizer;
        schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
        noise = noise == null ? 0.1 : noise;
        epochs = epochs == null ? 40 : epochs;
        batchSize = batchSize == null ? 64 : batchSize;
        earlyStopping = earlyStopping == null ? 10 : earlyStopping;
        seed = seed == null ? 1L : seed;
        if (noise < 0 || epochs < 1 || batchSize < 2 || earlyStopping < 0) {
            throw new IllegalArgumentException("noise >= 0, epochs >= 1, batchSize >= 2 and earlyStopping >= 0 required");
        }
        if (teacher != null) {
            throw new IllegalArgumentException("teacher: no localization loss uses a teacher");
        }
    }

    public static LocalizationConfig load(Path file, List<String> overrides) throws IOException {
        return Configs.bind(Configs.readTree(file, overrides), LocalizationConfig.class, Configs.source(file));
    }

    /** The data directory as a path. */
    public Path dataPath() {
        return Path.of(data);
    }
}
