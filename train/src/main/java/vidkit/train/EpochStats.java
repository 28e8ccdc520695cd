package vidkit.train;

import ai.djl.ndarray.NDArray;
import java.io.IOException;

/**
 * One epoch's running loss and gradient norm, and the bookkeeping every training step does after
 * its backward pass (both trainers): refuse a non-finite loss, update, log the step to TensorBoard
 * and advance the progress bar.
 */
final class EpochStats {
    private double lossSum;
    private double normSum;
    private int steps;

    /** Checks the loss, steps the optimizer at {@code lr} and records; returns the loss value. */
    float afterBackward(NDArray loss, AdamOptimizer optimizer, double lr, TensorBoardLog events, int epoch, int batches,
            int batch, Progress progress) throws IOException {
        float lv = loss.getFloat();
        if (!Float.isFinite(lv)) {
            throw new IllegalStateException("loss became " + lv + " at epoch " + (epoch + 1) + ", batch " + (batch + 1)
                    + ": lower optimizer.learningRate");
        }
        optimizer.step(lr);
        long step = (long) epoch * batches + batch + 1;
        events.scalar("train/loss", step, lv);
        events.scalar("train/learning_rate", step, lr);
        lossSum += lv;
        normSum += optimizer.lastGradientNorm();
        steps++;
        progress.step(1, String.format("loss %.4f", lossSum / steps));
        return lv;
    }

    double meanLoss() {
        return steps == 0 ? 0 : lossSum / steps;
    }

    double meanGradientNorm() {
        return steps == 0 ? 0 : normSum / steps;
    }
}
