package vidkit.train;

import vidkit.core.Progress;

/** A progress bar per epoch (plain lines off a terminal), showing the running loss. */
final class ProgressListener implements TrainingListener {
    private Progress progress;

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        progress = Progress.start(String.format("epoch %d/%d", epoch + 1, epochs), batches);
    }

    @Override
    public void stepFinished(long step, double loss, double meanLoss, double learningRate) {
        progress.step(1, String.format("loss %.4f", meanLoss));
    }

    @Override
    public void epochFinished(EpochRecord record) {
        close();
    }

    @Override
    public void trainingFinished() {
        close();
    }

    private void close() {
        if (progress != null) {
            progress.close();
            progress = null;
        }
    }
}
