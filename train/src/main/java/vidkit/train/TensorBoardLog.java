package vidkit.train;

import java.io.IOException;
import java.nio.file.Path;
import vidkit.core.RunDirectory;
import vidkit.data.TfEvents;
import vidkit.data.TfRecordWriter;

/**
 * A run's TensorBoard event file, {@code events.out.tfevents.SECONDS.vidkit} in the run directory
 * (each training session, a resumed one too, starts its own file; TensorBoard merges them): per
 * training step {@code train/loss} and {@code train/learning_rate} (step = global batch number),
 * and per epoch every column of the run's {@code metrics.csv} as {@code epoch/COLUMN} (step = the
 * epoch, from 1). Flushed after every epoch, so {@code tensorboard --logdir runs/} follows a run
 * live.
 */
final class TensorBoardLog implements AutoCloseable {
    static final String PREFIX = "events.out.tfevents.";
    private final TfRecordWriter writer;

    private TensorBoardLog(TfRecordWriter writer) {
        this.writer = writer;
    }

    static TensorBoardLog open(RunDirectory run) throws IOException {
        double now = System.currentTimeMillis() / 1000.0;
        Path file = run.path().resolve(PREFIX + (long) now + ".vidkit");
        for (int n = 1; java.nio.file.Files.exists(file); n++) {
            file = run.path().resolve(PREFIX + (long) now + ".vidkit." + n);
        }
        TensorBoardLog log = new TensorBoardLog(TfRecordWriter.appending(file));
        log.writer.write(TfEvents.fileVersion(now));
        return log;
    }

    void scalar(String tag, long step, double value) throws IOException {
        writer.write(TfEvents.scalar(System.currentTimeMillis() / 1000.0, step, tag, (float) value));
    }

    /** One {@code metrics.csv} line: every column but {@code epoch} as {@code epoch/COLUMN}; then flushes. */
    void epoch(String csvHeader, String csvLine) throws IOException {
        String[] names = csvHeader.split(",");
        String[] values = csvLine.split(",");
        long epoch = Long.parseLong(values[0]);
        for (int i = 1; i < names.length && i < values.length; i++) {
            scalar("epoch/" + names[i], epoch, Double.parseDouble(values[i]));
        }
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
