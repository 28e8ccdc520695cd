package vidkit.train;

import vidkit.core.ScheduleConfig;
import vidkit.core.TrainingState;

/**
 * Per-epoch learning rates. {@link #rate(int)} gives the rate of an epoch (0-based); {@link
 * #observe(double)} feeds the plateau rule the epoch's monitored metric (higher is better).
 *
 * <ul>
 *   <li>constant: the initial rate;
 *   <li>plateau: starts at the initial rate; after {@code patience} epochs in a row without a new
 *       best, multiplies by {@code factor} (not below {@code minLearningRate}) and waits again;
 *   <li>cosine: linear warm-up over {@code warmupEpochs} (epoch e gets {@code (e+1)/(warmup+1)} of
 *       the rate), then {@code min + (lr − min)(1 + cos(π·k/K))/2} over the remaining K epochs.
 * </ul>
 */
public final class LearningRateSchedule {
    private final ScheduleConfig config;
    private final double initial;
    private final int epochs;
    private double plateauRate;
    private double best = Double.NEGATIVE_INFINITY;
    private int badEpochs;

    public LearningRateSchedule(ScheduleConfig config, double initial, int epochs) {
        this.config = config;
        this.initial = initial;
        this.epochs = epochs;
        this.plateauRate = initial;
    }

    public double rate(int epoch) {
        return switch (config.kind()) {
            case CONSTANT -> initial;
            case PLATEAU -> plateauRate;
            case COSINE -> {
                int warm = config.warmupEpochs();
                if (epoch < warm) {
                    yield initial * (epoch + 1) / (warm + 1);
                }
                int span = Math.max(1, epochs - warm - 1);
                double k = Math.min(1.0, (epoch - warm) / (double) span);
                double min = config.minLearningRate();
                yield min + (initial - min) * (1 + Math.cos(Math.PI * k)) / 2;
            }
        };
    }

    /** Records an epoch's monitored metric. */
    public void observe(double metric) {
        if (metric > best) {
            best = metric;
            badEpochs = 0;
        } else if (++badEpochs > config.patience()) {
            plateauRate = Math.max(config.minLearningRate(), plateauRate * config.factor());
            badEpochs = 0;
        }
    }

    /** The plateau rule's state, for checkpoints. */
    public TrainingState.ScheduleState state() {
        return new TrainingState.ScheduleState(plateauRate, best, badEpochs);
    }

    public void restore(TrainingState.ScheduleState s) {
        plateauRate = s.plateauRate();
        best = s.best();
        badEpochs = s.badEpochs();
    }
}
