package vidkit.core;

/**
 * Where training stood when a checkpoint was written: enough for the loop to continue exactly.
 *
 * @param epoch the last completed epoch (0-based)
 * @param schedule the learning-rate schedule's state
 * @param bestMetric the best validation selection metric so far
 * @param bestEpoch its epoch (0-based)
 * @param epochsWithoutImprovement for early stopping
 */
public record TrainingState(int epoch, ScheduleState schedule, double bestMetric, int bestEpoch,
        int epochsWithoutImprovement) {
    /**
     * The plateau rule's state.
     *
     * @param plateauRate the current plateau learning rate
     * @param best the best monitored metric seen
     * @param badEpochs epochs since it improved
     */
    public record ScheduleState(double plateauRate, double best, int badEpochs) {}
}
