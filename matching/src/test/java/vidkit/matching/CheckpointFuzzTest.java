package vidkit.matching;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import vidkit.core.Checkpoint;
import vidkit.core.Configs;
import vidkit.core.TaskRegistry;
import vidkit.core.TrainedModel;
import vidkit.data.FuzzedBytes;
import vidkit.data.InvalidDataException;
import vidkit.data.SyntheticPairs;
import vidkit.train.Trainer;

/**
 * Fuzzes checkpoints end to end: a real {@code last.ckpt} of a small two-tower run (trained once
 * here, optimizer state included), edited by the fuzzer and half the time re-sealed (length and
 * CRC32C recomputed, as a forger would), then read and restored into the task's model the way
 * {@code vidkit predict} and the server do. Only {@link InvalidDataException} subtypes may escape —
 * a forged shape or length must be refused, not allocated.
 */
class CheckpointFuzzTest {
    private static final Path NAME = Path.of("fuzzed.ckpt");
    private static final byte[] VALID;

    static {
        try {
            Path dir = Files.createTempDirectory("vidkit-fuzz-ckpt");
            Path data = dir.resolve("synthetic");
            SyntheticPairs.write(data, 64, 4, 8, 6, 4, 3);
            var config = TaskRegistry.bindConfig(Configs.readTree(null, List.of("type=matching", "data=" + data,
                    "model.type=twotower", "model.hidden=8", "model.embedding=4", "epochs=1", "batchSize=16",
                    "evaluation.draws=5", "evaluation.bootstrap=5", "earlyStopping=0")), Path.of("fuzz"));
            var run = Trainer.train(config, Trainer.Options.of(dir.resolve("runs"), "fuzz",
                    new PrintStream(OutputStream.nullOutputStream()))).run();
            VALID = Files.readAllBytes(run.lastCheckpoint());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The format's rule: int64 length of what precedes the footer, then CRC32C of all before the last 8 bytes. */
    private static byte[] seal(byte[] b) {
        if (b.length >= 28) {
            ByteBuffer.wrap(b).putLong(b.length - 16, b.length - 16);
            CRC32C crc = new CRC32C();
            crc.update(b, 0, b.length - 8);
            ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        }
        return b;
    }

    @FuzzTest(maxDuration = "15s")
    void read(FuzzedDataProvider data) {
        byte[] bytes = FuzzedBytes.edit(VALID, data, CheckpointFuzzTest::seal);
        try {
            Checkpoint c = Checkpoint.read(bytes, NAME);
            try (TrainedModel m = TaskRegistry.forType(c.taskType(), NAME).open(c)) {
                if (m.block() == null) {
                    throw new AssertionError("no model");
                }
            }
        } catch (InvalidDataException expected) {
            // typed
        } catch (IOException e) {
            throw new UncheckedIOException("untyped error", e);
        } catch (Exception e) {
            throw new AssertionError("untyped error", e);
        }
    }
}
