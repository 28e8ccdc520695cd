package vidkit.core;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The learning-rate schedule, stepped once per epoch.
 *
 * @param kind {@code constant}, {@code plateau} (ReduceLROnPlateau: multiply by {@code factor} when
 *     the monitored validation metric has not improved for {@code patience} epochs) or {@code
 *     cosine} (cosine decay from the initial rate to {@code minLearningRate} over the run, after
 *     {@code warmupEpochs} of linear warm-up); default cosine
 * @param factor plateau factor (default 0.5)
 * @param patience plateau patience in epochs (default 3)
 * @param minLearningRate floor (default 1e-5)
 * @param warmupEpochs linear warm-up epochs for cosine (default 1)
 */
public record ScheduleConfig(Kind kind, Double factor, Integer patience, Double minLearningRate,
        Integer warmupEpochs) {
    public enum Kind {
        CONSTANT, PLATEAU, COSINE;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ScheduleConfig {
        kind = kind == null ? Kind.COSINE : kind;
        factor = factor == null ? 0.5 : factor;
        patience = patience == null ? 3 : patience;
        minLearningRate = minLearningRate == null ? 1e-5 : minLearningRate;
        warmupEpochs = warmupEpochs == null ? 1 : warmupEpochs;
        if (!(factor > 0 && factor < 1) || patience < 0 || minLearningRate < 0 || warmupEpochs < 0) {
            throw new IllegalArgumentException("schedule: factor in (0,1), patience, minLearningRate, warmupEpochs >= 0");
        }
    }

    public static ScheduleConfig defaults() {
        return new ScheduleConfig(null, null, null, null, null);
    }
}
