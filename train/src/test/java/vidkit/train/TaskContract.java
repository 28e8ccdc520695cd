package vidkit.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Checkpoint;
import vidkit.core.Configs;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import vidkit.core.TaskConfig;
import vidkit.core.TaskRegistry;
import vidkit.core.TrainedModel;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;
import vidkit.data.UnsupportedFormatVersionException;

/**
 * The contract every task inherits (after Lucene's {@code BaseKnnVectorsFormatTestCase}): a task's
 * test extends this class and says how to make a small, fast config; these tests then run it
 * through the real {@link Trainer}, registry and checkpoints.
 */
public abstract class TaskContract {
    protected static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** A small config of the task under test that trains in seconds, as a JSON tree (it must name its {@code "type"}). */
    protected abstract ObjectNode smallConfig(int epochs) throws Exception;

    private TaskConfig config(int epochs) throws Exception {
        return TaskRegistry.bindConfig(smallConfig(epochs), Path.of("test"));
    }

    /** The deterministic columns of {@code metrics.csv}: all but the throughput and time. */
    public static List<String> metricColumns(RunDirectory run) throws Exception {
        return Files.readAllLines(run.metrics()).stream().skip(1).map(l -> {
            List<String> f = List.of(l.split(","));
            return String.join(",", f.subList(0, f.size() - 2));
        }).toList();
    }

    /**
     * The same metrics lines, each number within a relative 1e-3 of the other (text fields exactly).
     * Runs were seen to differ from run to run: about one in ten, an epoch-2 loss in the 6th digit and
     * its gradient norm in the 4th (with or without MKL's strict reproducible mode, MKL_CBWR). One
     * cause was found since (2026-12-02, by the kill-and-resume crash test): the two-tower loss
     * divided with DJL's {@code div(Number)}, whose backward reads a scalar the garbage collector may
     * already have freed (see {@code vidkit.nn.Scalars}); its gradients then depended on when the JVM
     * collected. Fixed; the tolerance stays for causes not found. A wrong seed, a missed state or a
     * skipped batch moves the metrics far more (one AVE segment is 0.4% of the accuracy).
     */
    public static void assertSameMetrics(List<String> expected, List<String> actual, String message) {
        assertEquals(expected.size(), actual.size(), message + ": epochs");
        for (int i = 0; i < expected.size(); i++) {
            String[] a = expected.get(i).split(",");
            String[] b = actual.get(i).split(",");
            assertEquals(a.length, b.length, message + ": columns of epoch " + (i + 1));
            for (int k = 0; k < a.length; k++) {
                double x;
                double y;
                try {
                    x = Double.parseDouble(a[k]);
                    y = Double.parseDouble(b[k]);
                } catch (NumberFormatException e) {
                    assertEquals(a[k], b[k], message);
                    continue;
                }
                assertEquals(x, y, 1e-3 * Math.max(1, Math.abs(x)), message + ": epoch " + (i + 1) + ", column " + (k + 1)
                        + " (" + expected.get(i) + " vs " + actual.get(i) + ")");
            }
        }
    }

    @Test
    void theTaskIsRegisteredUnderItsConfigsType() throws Exception {
        TaskConfig c = config(1);
        assertSame(c.getClass(), TaskRegistry.forType(c.type(), Path.of("test")).configType());
    }

    @Test
    void sameSeedAndThreadsGiveTheSameMetrics(@TempDir Path runs) throws Exception {
        var a = Trainer.train(config(2), Trainer.Options.of(runs, "test", QUIET));
        var b = Trainer.train(config(2), Trainer.Options.of(runs, "test", QUIET));
        assertEquals(2, metricColumns(a.run()).size());
        assertSameMetrics(metricColumns(a.run()), metricColumns(b.run()), "same seed");
    }

    @Test
    void aRunStoppedAfterAnEpochAndResumedEqualsTheUninterruptedOne(@TempDir Path runs) throws Exception {
        var whole = Trainer.train(config(3), Trainer.Options.of(runs, "test", QUIET));
        var part = Trainer.train(config(3), new Trainer.Options(runs, "test", QUIET, 1));
        assertTrue(part.stopped());
        assertNull(part.evaluation());
        assertEquals(1, metricColumns(part.run()).size());
        var resumed = Trainer.resume(part.run(), Trainer.Options.of(runs, "test", QUIET));
        assertFalse(resumed.stopped());
        assertEquals(2, resumed.epochsRun());
        assertSameMetrics(metricColumns(whole.run()), metricColumns(resumed.run()), "resumed run equals the uninterrupted one");
        assertNotNull(resumed.evaluation());
    }

    @Test
    void aCheckpointRoundTripsItsConfigStateAndEveryParameter(@TempDir Path runs) throws Exception {
        TaskConfig config = config(1);
        var r = Trainer.train(config, Trainer.Options.of(runs, "test", QUIET));
        Checkpoint c = Checkpoint.read(r.run().lastCheckpoint());
        assertEquals(Checkpoint.VERSION, c.formatVersion());
        assertEquals(config, c.header().config());
        assertEquals(config, r.run().readConfig());
        assertTrue(c.hasOptimizerState());
        assertFalse(Checkpoint.read(r.run().bestCheckpoint()).hasOptimizerState());
        // the same checkpoint read from bytes (as a Spark executor gets it): same header, same optimizer stream
        Checkpoint shipped = Checkpoint.read(Files.readAllBytes(r.run().lastCheckpoint()), r.run().lastCheckpoint());
        assertEquals(c.header().config(), shipped.header().config());
        assertEquals(c.header().task(), shipped.header().task());
        try (var a = c.openOptimizerState(); var b = shipped.openOptimizerState()) {
            assertArrayEquals(a.readAllBytes(), b.readAllBytes());
        }
        Path copy = runs.resolve("copy.ckpt");
        try (TrainedModel m = TaskRegistry.forType(config.type(), copy).open(c)) {
            Checkpoint.write(copy, c.header(), m.block(), null);
            Checkpoint again = Checkpoint.read(copy);
            assertEquals(c.header().training(), again.header().training());
            assertEquals(c.header().task(), again.header().task());
            try (TrainedModel n = TaskRegistry.forType(config.type(), copy).open(again)) {
                var pa = m.block().getParameters();
                var pb = n.block().getParameters();
                assertEquals(pa.size(), pb.size());
                for (int i = 0; i < pa.size(); i++) {
                    Pair<String, Parameter> x = pa.get(i);
                    assertEquals(x.getKey(), pb.get(i).getKey());
                    assertArrayEquals(bytes(x.getValue()), bytes(pb.get(i).getValue()), x.getKey());
                }
            }
        }
    }

    private static byte[] bytes(Parameter p) {
        ByteBuffer b = p.getArray().toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void corruptTruncatedForgedAndTooNewCheckpointsAreRejectedWithTypedErrors(@TempDir Path runs) throws Exception {
        TaskConfig config = config(1);
        var r = Trainer.train(config, Trainer.Options.of(runs, "test", QUIET));
        byte[] bytes = Files.readAllBytes(r.run().lastCheckpoint());
        Path bad = runs.resolve("bad.ckpt");
        for (int at : new int[] {20, bytes.length / 3, bytes.length / 2, bytes.length - 20}) {
            byte[] flipped = bytes.clone();
            flipped[at] ^= 0x10;
            Files.write(bad, flipped);
            assertThrows(CorruptFileException.class, () -> Checkpoint.read(bad), "a flipped byte at " + at);
            var e = assertThrows(CorruptFileException.class, () -> Checkpoint.read(flipped, Path.of("shipped.ckpt")));
            assertTrue(e.getMessage().startsWith("shipped.ckpt"), e.getMessage());
        }
        for (int keep : new int[] {0, 7, 30, bytes.length / 2, bytes.length - 1}) {
            Files.write(bad, java.util.Arrays.copyOf(bytes, keep));
            assertThrows(CorruptFileException.class, () -> Checkpoint.read(bad), "truncated to " + keep);
            byte[] cut = java.util.Arrays.copyOf(bytes, keep);
            assertThrows(CorruptFileException.class, () -> Checkpoint.read(cut, bad), "bytes truncated to " + keep);
        }
        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).putInt(8, Checkpoint.VERSION + 1);
        Files.write(bad, newer);
        var e = assertThrows(UnsupportedFormatVersionException.class, () -> Checkpoint.read(bad));
        assertTrue(e.getMessage().contains("newer vidkit"), e.getMessage());
        assertThrows(InvalidDataException.class, () -> Checkpoint.read(runs.resolve("missing.ckpt")));
        assertThrows(InvalidDataException.class, () -> RunDirectory.open(runs.resolve("missing")));
    }

    @Test
    void unknownConfigKeysAndAnUnknownTypeAreRejected() throws Exception {
        ObjectNode top = smallConfig(1);
        top.put("epochz", 3);
        var e = assertThrows(InvalidDataException.class, () -> TaskRegistry.bindConfig(top, Path.of("c.json")));
        assertTrue(e.getMessage().contains("c.json") && e.getMessage().contains("epochz"), e.getMessage());
        ObjectNode nested = smallConfig(1);
        ((ObjectNode) nested.get("model")).put("hiddn", 3);
        e = assertThrows(InvalidDataException.class, () -> TaskRegistry.bindConfig(nested, Path.of("c.json")));
        assertTrue(e.getMessage().contains("hiddn"), e.getMessage());
        ObjectNode unknown = smallConfig(1);
        unknown.put("type", "no-such-task");
        e = assertThrows(InvalidDataException.class, () -> TaskRegistry.bindConfig(unknown, Path.of("c.json")));
        assertTrue(e.getMessage().contains("known:"), e.getMessage());
        ObjectNode untyped = smallConfig(1);
        untyped.remove("type");
        assertThrows(InvalidDataException.class, () -> TaskRegistry.bindConfig(untyped, Path.of("c.json")));
        // overrides go through the same binding
        assertThrows(InvalidDataException.class, () -> TaskRegistry.bindConfig(
                Json.applyOverrides(smallConfig(1), List.of("bogus.key=1")), Configs.source(null)));
    }
}
