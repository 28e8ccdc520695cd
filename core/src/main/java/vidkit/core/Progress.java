package vidkit.core;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long task: a live bar with rate and ETA on a terminal, plain lines at most every
 * {@link #LINE_INTERVAL_NANOS} (and at the end) otherwise, so logs stay readable.
 */
public final class Progress implements AutoCloseable {
    static final long LINE_INTERVAL_NANOS = 10_000_000_000L;
    private final String task;
    private final long total;
    private final ProgressBar bar;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long done;
    private long lastLine = start;
    private String extra = "";

    private Progress(String task, long total, PrintStream out, boolean terminal) {
        this.task = task;
        this.total = total;
        this.out = out;
        this.bar = terminal
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).showSpeed().build()
                : null;
    }

    /** Starts reporting {@code total} units of {@code task} to stderr. */
    public static Progress start(String task, long total) {
        return new Progress(task, total, System.err, isTerminal());
    }

    /**
     * Whether stderr goes to a terminal. Since Java 22 {@code System.console()} exists even when the
     * streams are redirected, so {@code Console.isTerminal()} (Java 22+) is asked when present.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a console exists only on a terminal
        }
    }

    /** Advances by {@code n} units; {@code message} (e.g. the running loss) is shown beside. */
    public void step(long n, String message) {
        done += n;
        extra = message;
        if (bar != null) {
            bar.stepBy(n);
            bar.setExtraMessage(" " + message);
            return;
        }
        long now = System.nanoTime();
        if (now - lastLine >= LINE_INTERVAL_NANOS || done >= total) {
            lastLine = now;
            line(now);
        }
    }

    private void line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = done / Math.max(1e-9, seconds);
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        out.printf("%s: %d/%d (%.0f%%) %.1f/s, %.0fs elapsed, ETA %.0fs %s%n", task, done, total,
                100.0 * done / Math.max(1, total), rate, seconds, eta, extra);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else if (done < total) {
            line(System.nanoTime());
        }
    }
}
