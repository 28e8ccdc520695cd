package vidkit.train;

import java.io.PrintStream;
import java.util.Locale;

/** One line per epoch: rate, loss, the task's validation summary, throughput, and {@code *} for a new best. */
final class ConsoleListener implements TrainingListener {
    private final PrintStream out;

    ConsoleListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void epochFinished(EpochRecord r) {
        out.printf(Locale.ROOT, "epoch %3d  lr %.2e  loss %.4f  %s  %.0f samples/s%s%n", r.epoch() + 1, r.learningRate(),
                r.trainLoss(), r.validation().summary(), r.samplesPerSecond(), r.improved() ? "  *" : "");
    }
}
