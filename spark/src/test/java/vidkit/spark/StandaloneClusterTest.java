package vidkit.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vidkit.core.RunDirectory;
import vidkit.tagging.TaggingPredictions;

/**
 * A Spark standalone cluster of real processes on 127.0.0.1 (a master, two workers with one core
 * each, so two executor JVMs), jobs submitted through {@code SparkSubmit}: the tag job on all 60
 * YouTube-8M shards gives {@code vidkit predict}'s CSV byte for byte, each executor loads the model
 * once, and with a worker and its executor killed by SIGKILL mid-job the job still completes with
 * the same output.
 */
class StandaloneClusterTest {
    static Path work;
    static LocalCluster cluster;
    static RunDirectory run;
    static byte[] expected;

    @BeforeAll
    static void start() throws Exception {
        run = SparkFixtures.tagger();
        work = SparkFixtures.dir().resolve("cluster");
        Path reference = SparkFixtures.dir().resolve("reference.csv");
        TaggingPredictions.write(run, SparkFixtures.allShards(), reference, 20, SparkFixtures.QUIET);
        expected = Files.readAllBytes(reference);
        cluster = LocalCluster.start(Path.of("target"), 2, 1, "2g", work);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Process submit(Path out, Path log) throws Exception {
        return cluster.submit(2, Map.of(), log, List.of("tag", "--run", run.path().toAbsolutePath().toString(), "--data",
                Path.of(SparkFixtures.allShards()).toAbsolutePath().toString(), "--out", out.toString()));
    }

    static void await(Process p, Path log) throws Exception {
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the job did not finish in 300 s:\n" + Files.readString(log) + cluster.executorLogs());
        }
        assertEquals(0, p.exitValue(), () -> {
            try {
                return Files.readString(log) + cluster.executorLogs();
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
    }

    @Test
    void twoExecutorsGiveVidkitPredictsCsvAndLoadTheModelOncePerJvm() throws Exception {
        Path out = work.resolve("out-1");
        Path log = work.resolve("submit-1.log");
        await(submit(out, log), log);
        assertArrayEquals(expected, Files.readAllBytes(out.resolve("predictions.csv")));
        assertEquals(2, SparkJobsTest.report(out).path("executors").asInt());
        assertTrue(SparkJobsTest.report(out).path("master").asText().startsWith("spark://127.0.0.1:"));
        // every executor that ran tasks loaded the tagger exactly once (60 tasks, 2 JVMs), with PyTorch on
        // spark.task.cpus (1) intra-op threads
        Matcher m = Pattern.compile("vidkit spark: loaded tagging:\\w+ in this JVM \\(pid (\\d+)\\) in [0-9.]+ s; "
                + "PyTorch intra-op threads 1\n")
                .matcher(cluster.executorLogs());
        List<String> pids = m.results().map(r -> r.group(1)).toList();
        assertEquals(2, pids.size(), "one load per executor JVM: " + pids);
        assertEquals(2, pids.stream().distinct().count());
    }

    @Test
    void aWorkerKilledMidJobLeavesTheOutputIdentical() throws Exception {
        Path out = work.resolve("out-killed");
        Path log = work.resolve("submit-killed.log");
        Process job = submit(out, log);
        Process victim = cluster.workers().get(0);
        // wait until tasks are committing, then kill the worker and its executor with SIGKILL
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        int committed = 0;
        while (System.nanoTime() < end && job.isAlive()) {
            committed = committedTasks(out);
            if (committed >= 4) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(committed >= 4 && job.isAlive(), "the job should be mid-way (" + committed + " tasks committed)");
        List<ProcessHandle> executors = LocalCluster.executorsOf(victim);
        assertFalse(executors.isEmpty(), "the worker runs an executor");
        executors.forEach(ProcessHandle::destroyForcibly);
        victim.destroyForcibly();
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
        await(job, log);
        assertArrayEquals(expected, Files.readAllBytes(out.resolve("predictions.csv")),
                "the same output after losing an executor mid-job");
        assertEquals(List.of(), SparkJobsTest.partials(out));
    }

    /** Tasks whose Parquet output is committed so far (Hadoop's committer: one task directory each). */
    static int committedTasks(Path out) throws Exception {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (var s = Files.walk(out)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith("task_") && Files.isDirectory(p)).count();
        }
    }
}
