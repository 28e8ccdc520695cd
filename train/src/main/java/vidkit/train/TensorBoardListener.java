package vidkit.train;

import java.io.IOException;

/** Appends each step's loss and learning rate and each epoch's metrics to the run's TensorBoard events. */
final class TensorBoardListener implements TrainingListener {
    private final TensorBoardLog log;

    TensorBoardListener(TensorBoardLog log) {
        this.log = log;
    }

    @Override
    public void stepFinished(long step, double loss, double meanLoss, double learningRate) throws IOException {
        log.scalar("train/loss", step, loss);
        log.scalar("train/learning_rate", step, learningRate);
    }

    @Override
    public void epochFinished(EpochRecord r) throws IOException {
        log.epoch(r.csvHeader(), r.csvLine());
    }

    @Override
    public void trainingFinished() throws IOException {
        log.close();
    }
}
