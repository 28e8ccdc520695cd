package vidkit.train;

import java.io.IOException;

/**
 * Follows a training run: the {@link Trainer} calls every listener at the start of an epoch, after
 * each step and after each epoch's validation, and once at the end. {@code metrics.csv}, TensorBoard
 * events, the progress bar and the console lines are listeners.
 */
public interface TrainingListener {
    /** Epoch {@code epoch} (0-based) of {@code epochs} begins, with {@code batches} steps. */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /**
     * A step finished.
     *
     * @param step the global step, from 1 ({@code epoch · batches + batch + 1})
     * @param loss this step's loss
     * @param meanLoss the epoch's mean loss so far
     */
    default void stepFinished(long step, double loss, double meanLoss, double learningRate) throws IOException {}

    /** An epoch's validation is done and its checkpoints are written. */
    default void epochFinished(EpochRecord record) throws IOException {}

    /** Training ended (completed, stopped early or stopped by request). */
    default void trainingFinished() throws IOException {}
}
