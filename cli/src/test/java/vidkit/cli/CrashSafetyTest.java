package vidkit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Configs;
import vidkit.core.TaskRegistry;
import vidkit.data.AtomicFiles;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.SyntheticPairs;
import vidkit.index.EmbeddingLibrary;
import vidkit.index.HnswIndex;
import vidkit.train.Trainer;

/**
 * Crash safety of the commands that write large outputs, with real processes: {@code vidkit embed},
 * {@code vidkit match} and {@code vidkit index build} are killed with SIGKILL at random moments
 * (from start-up to the final write, spread over an uninterrupted run's duration). After every kill
 * the output is either absent or complete and valid (never a half-written file taken for a whole
 * one); a rerun then finishes the job with the uninterrupted run's result, and the temporary files
 * the killed processes left are swept away by it.
 */
class CrashSafetyTest {
    static final int KILLS = 8;
    /** Temporaries seen after kills (a kill inside the output's write leaves one), by test. */
    static final java.util.Map<String, java.util.Set<Path>> LEFT = new java.util.concurrent.ConcurrentHashMap<>();
    @TempDir static Path dir;
    static Path data;
    static Path run;

    @BeforeAll
    static void trainAMatcher() throws Exception {
        data = dir.resolve("data");
        SyntheticPairs.write(data, 600, 10, 64, 32, 6, 5);
        var config = TaskRegistry.bindConfig(Configs.readTree(null, List.of("type=matching", "data=" + data,
                "model.type=twotower", "model.hidden=64", "model.embedding=32", "epochs=1", "batchSize=64",
                "evaluation.draws=5", "evaluation.bootstrap=5", "earlyStopping=0")), Path.of("test"));
        run = Trainer.train(config, Trainer.Options.of(dir.resolve("runs"), "test",
                new PrintStream(OutputStream.nullOutputStream()))).run().path();
    }

    /** Runs {@code args} to completion; its duration in ms. */
    static long complete(String name, List<String> args) throws Exception {
        long t0 = System.nanoTime();
        Process p = VidkitProcess.start(dir.resolve(name + ".log"), args);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), name);
        assertEquals(0, p.exitValue(), () -> name + ": " + read(dir.resolve(name + ".log")));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (Exception e) {
            return "(no log)";
        }
    }

    /** What a kill may leave: nothing, or a complete output (the check throws otherwise). */
    interface Check {
        void check() throws Exception;
    }

    /**
     * Launches {@code args} {@link #KILLS} times, each killed with SIGKILL at a random moment in
     * [5%, 100%] of the uninterrupted duration, checking the output after each; returns how many
     * kills found a complete output already there (the kill came after the rename).
     */
    static int killRepeatedly(String name, List<String> args, Path out, long durationMs, long seed, Check afterKill)
            throws Exception {
        Random random = new Random(seed);
        int completeBefore = 0;
        for (int k = 0; k < KILLS; k++) {
            Process p = VidkitProcess.start(dir.resolve(name + "-kill-" + k + ".log"), args);
            long at = (long) (durationMs * (0.05 + 0.95 * random.nextDouble()));
            if (p.waitFor(at, TimeUnit.MILLISECONDS)) {
                completeBefore++; // it finished first: a rerun over a finished output, also allowed
            } else {
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                if (Files.isDirectory(out.getParent())) {
                    LEFT.computeIfAbsent(name, n -> new java.util.HashSet<>()).addAll(temporaries(out));
                }
            }
            afterKill.check();
        }
        return completeBefore;
    }

    /** Temporary siblings of {@code target} ({@code .NAME.*}). */
    static List<Path> temporaries(Path target) throws Exception {
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.filter(f -> f.getFileName().toString().startsWith("." + target.getFileName() + ".")).toList();
        }
    }

    @Test
    void embedKilledAtRandomMomentsNeverLeavesAHalfLibraryAndARerunFinishes() throws Exception {
        Path reference = dir.resolve("reference.vkemb");
        List<String> base = List.of("embed", "--run", run.toString(), "--data", data.resolve("afeat").toString(),
                "--modality", "audio", "--out");
        long ms = complete("embed-reference", concat(base, reference.toString()));
        Path out = dir.resolve("embed-out").resolve("audio.vkemb");
        List<String> args = concat(base, out.toString());
        try (EmbeddingLibrary ref = EmbeddingLibrary.open(reference)) {
            Check whole = () -> {
                if (Files.exists(out)) {
                    try (EmbeddingLibrary lib = EmbeddingLibrary.open(out)) { // throws on a partial file
                        assertEquals(ref.ids(), lib.ids());
                    }
                }
            };
            int finished = killRepeatedly("embed", args, out, ms, 11, whole);
            complete("embed-rerun", args);
            whole.check();
            try (EmbeddingLibrary lib = EmbeddingLibrary.open(out)) {
                for (int i = 0; i < ref.size(); i++) {
                    assertArrayEquals(ref.row(i), lib.row(i), 1e-5f, "row " + i);
                }
            }
            assertEquals(List.of(), temporaries(out), "the rerun swept the killed writers' temporaries");
            System.out.printf("crash test embed: %d SIGKILLs (%d after it had finished; %d inside the library's write, "
                    + "leaving a temporary), every output whole; rerun = uninterrupted%n", KILLS - finished, finished,
                    LEFT.getOrDefault("embed", java.util.Set.of()).size());
        }
    }

    @Test
    void matchKilledAtRandomMomentsNeverLeavesAHalfMatrixAndARerunFinishes() throws Exception {
        Path reference = dir.resolve("reference.npy");
        List<String> base = List.of("match", "--run", run.toString(), "--videos", data.resolve("vfeat").toString(),
                "--audios", data.resolve("afeat").toString(), "--out");
        long ms = complete("match-reference", concat(base, reference.toString()));
        NpyArray ref = Npy.read(reference);
        Path out = dir.resolve("match-out").resolve("similarity.npy");
        List<String> args = concat(base, out.toString());
        Check whole = () -> {
            if (Files.exists(out)) {
                NpyArray m = Npy.read(out); // throws on a partial file
                assertArrayEquals(ref.shape(), m.shape());
            }
        };
        int finished = killRepeatedly("match", args, out, ms, 12, whole);
        complete("match-rerun", args);
        assertArrayEquals(ref.asFloats(), Npy.read(out).asFloats(), 1e-5f);
        assertEquals(List.of(), temporaries(out), "the rerun swept the killed writers' temporaries");
        System.out.printf("crash test match: %d SIGKILLs (%d after it had finished; %d inside the matrix's write, "
                + "leaving a temporary), every output whole; rerun = uninterrupted%n", KILLS - finished, finished,
                LEFT.getOrDefault("match", java.util.Set.of()).size());
    }

    @Test
    void indexBuildKilledAtRandomMomentsNeverLeavesAHalfIndexAndARerunFinishes() throws Exception {
        Path small = dir.resolve("index-small.vkemb");
        complete("index-embed", List.of("embed", "--run", run.toString(), "--data", data.resolve("afeat").toString(),
                "--modality", "audio", "--out", small.toString()));
        Path library = dir.resolve("index-library.vkemb");
        complete("index-synthesize", List.of("index", "synthesize", "--like", small.toString(), "--count", "40000",
                "--out", library.toString()));
        Path reference = dir.resolve("reference-index");
        long ms = complete("index-reference", List.of("index", "build", "--library", library.toString(), "--out",
                reference.toString()));
        Path out = dir.resolve("index-out").resolve("index");
        Files.createDirectories(out.getParent());
        List<String> args = List.of("index", "build", "--library", library.toString(), "--out", out.toString());
        try (EmbeddingLibrary lib = EmbeddingLibrary.open(library)) {
            Check whole = () -> {
                if (Files.exists(out)) {
                    try (HnswIndex index = HnswIndex.open(out, lib)) { // throws on a partial index
                        assertEquals(lib.ids().get(7), lib.ids().get(index.search(lib.row(7), 1, 50).get(0).index()));
                    }
                }
            };
            int finished = 0;
            int kills = 0;
            Random random = new Random(13);
            // a finished index is never rebuilt over ("must not exist"): kill until one is left whole or
            // KILLS kills have landed, removing a finished one so that every trial is a real build
            while (kills < KILLS) {
                Process p = VidkitProcess.start(dir.resolve("index-kill-" + kills + "-" + finished + ".log"), args);
                long at = (long) (ms * (0.05 + 0.80 * random.nextDouble())); // a finished build is a lost trial here
                if (p.waitFor(at, TimeUnit.MILLISECONDS)) {
                    finished++;
                    whole.check();
                    AtomicFiles.deleteTree(out);
                    continue;
                }
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                kills++;
                LEFT.computeIfAbsent("index", n -> new java.util.HashSet<>()).addAll(temporaries(out));
                whole.check();
                if (Files.exists(out)) {
                    finished++;
                    AtomicFiles.deleteTree(out);
                }
            }
            int left = LEFT.getOrDefault("index", java.util.Set.of()).size();
            complete("index-rerun", args);
            whole.check();
            assertTrue(Files.exists(out));
            assertEquals(List.of(), temporaries(out), "the rerun swept the killed builds' temporary directories");
            System.out.printf("crash test index build: %d SIGKILLs (%d runs finished first), %d temporary directories "
                    + "left by them and swept by the rerun; every index whole%n", kills, finished, left);
        }
    }

    static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }
}
