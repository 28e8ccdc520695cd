package vidkit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Checkpoint;
import vidkit.core.RunDirectory;
import vidkit.data.SyntheticPairs;
import vidkit.train.TaskContract;

/**
 * Crash safety with real processes: {@code vidkit train} killed with SIGKILL at 20 random moments
 * (some may land inside a checkpoint write: counted by the temporary files left behind) and resumed
 * each time ends with the metrics of an uninterrupted run, and no checkpoint is ever unreadable.
 */
class CrashResumeTest {
    static final int EPOCHS = 80;
    static final List<String> CONFIG = List.of("--set", "model.type=twotower", "--set", "model.hidden=128",
            "--set", "model.embedding=16", "--set", "epochs=80", "--set", "batchSize=32", "--set", "earlyStopping=0",
            "--set", "evaluation.draws=10", "--set", "evaluation.subsetSize=20", "--set", "evaluation.bootstrap=10");

    static List<String> train(Path data, Path runs) {
        List<String> a = new ArrayList<>(List.of("train", "--set", "type=matching", "--set", "data=" + data, "--runs",
                runs.toString()));
        a.addAll(CONFIG);
        return a;
    }

    /** The run under {@code runs} with a last checkpoint, or null. */
    static Path resumable(Path runs) throws Exception {
        if (!Files.isDirectory(runs)) {
            return null;
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> Files.exists(d.resolve("checkpoints/last.ckpt"))).findFirst().orElse(null);
        }
    }

    /** Epochs in a run's metrics.csv so far (0 while it has none). */
    static int epochs(Path run) {
        try {
            return TaskContract.metricColumns(RunDirectory.open(run)).size();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void trainingKilledAtTwentyRandomMomentsResumesToTheUninterruptedMetrics(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        SyntheticPairs.write(data, 480, 10, 24, 12, 4, 3);
        Process whole = VidkitProcess.start(dir.resolve("whole.log"), train(data, dir.resolve("whole")));
        assertTrue(whole.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, whole.exitValue(), Files.readString(dir.resolve("whole.log")));
        List<String> expected = TaskContract.metricColumns(RunDirectory.open(resumable(dir.resolve("whole"))));
        assertEquals(EPOCHS, expected.size());

        Path runs = dir.resolve("crash");
        Random random = new Random(20261202);
        int kills = 0;
        java.util.Set<Path> cutWrites = new java.util.HashSet<>(); // temporary files left by kills inside writes
        int launches = 0;
        int startUpKills = 0;
        while (kills < 20) {
            Path run = resumable(runs);
            Process p = VidkitProcess.start(dir.resolve("launch-" + launches++ + ".log"), run == null ? train(data, runs)
                    : List.of("train", "--resume", run.toString()));
            // kill after 0-2 more epochs than this launch started from, at a random moment inside the next one;
            // the first three kills (no checkpoint yet) at a random moment of the start-up instead — after
            // those, a fresh launch is left to write its first checkpoint (on a loaded machine the start-up
            // alone can outlast any fixed delay, and the run would never get going)
            int from = run == null ? 0 : TaskContract.metricColumns(RunDirectory.open(run)).size();
            int target = Math.max(1, from + random.nextInt(3));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            if (run == null && startUpKills < 3) {
                startUpKills++;
                Thread.sleep(300 + random.nextInt(2500));
            } else {
                // half the kills aim at the checkpoint writes: the trainer writes an epoch's metrics line and
                // then its checkpoints, so a kill as soon as the line appears often lands inside a write
                boolean atWrite = random.nextBoolean();
                while (p.isAlive() && System.nanoTime() < deadline && epochs(run == null ? resumable(runs) : run) < target) {
                    Thread.sleep(atWrite ? 1 : 20);
                }
                Thread.sleep(atWrite ? random.nextInt(3) : random.nextInt(400));
            }
            if (!p.isAlive()) {
                fail("the run ended before 20 kills (after " + kills + "): see " + dir);
            }
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            kills++;
            run = resumable(runs);
            if (run != null) {
                try (Stream<Path> s = Files.walk(run)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".tmp")).forEach(cutWrites::add);
                }
                RunDirectory r = RunDirectory.open(run);
                for (Path ckpt : List.of(r.lastCheckpoint(), r.bestCheckpoint())) {
                    if (Files.exists(ckpt)) {
                        Checkpoint.read(ckpt); // throws if a kill ever left it unreadable
                    }
                }
            }
        }
        Path run = resumable(runs);
        assertNotNull(run, "some epochs were checkpointed in " + launches + " launches");
        int insideWrites = cutWrites.size();
        int doneBefore = TaskContract.metricColumns(RunDirectory.open(run)).size();
        Process rest = VidkitProcess.start(dir.resolve("rest.log"), List.of("train", "--resume", run.toString()));
        assertTrue(rest.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, rest.exitValue(), Files.readString(dir.resolve("rest.log")));
        try (Stream<Path> s = Files.walk(run)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                    "the resumed run swept the temporaries the kills left");
        }
        TaskContract.assertSameMetrics(expected, TaskContract.metricColumns(RunDirectory.open(run)),
                "killed 20 times (" + insideWrites + " temporary files left by kills inside writes; " + doneBefore
                        + " of " + EPOCHS + " epochs done before the last resume) and resumed");
        System.out.printf("crash test: 20 SIGKILLs in %d launches, %d left a temporary file (a write cut short), %d of %d "
                + "epochs done before the last resume; metrics equal to the uninterrupted run%n", launches, insideWrites,
                doneBefore, EPOCHS);
    }
}
