package vidkit.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.core.RunDirectory;
import vidkit.tagging.TaggingPredictions;

/**
 * {@code vidkit spark bench}: the tag job's throughput on a standalone cluster of real processes on
 * this machine with 1, 2, ... one-core executors, beside single-JVM {@code vidkit predict} (one
 * PyTorch thread, as each executor), the fixed start-up cost, and projections to the full YouTube-8M.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark the tag job on a local standalone "
        + "cluster (1, 2, ... one-core executors) against single-JVM vidkit predict; prints a Markdown table.")
final class BenchJob implements Callable<Integer> {
    /** YouTube-8M (2018): 3,888,919 train + 1,112,356 validate + 1,133,323 test videos. */
    static final long YT8M_VIDEOS = 3_888_919L + 1_112_356L + 1_133_323L;

    @Option(names = "--run", required = true, description = "A tagging run.")
    Path run;

    @Option(names = "--data", required = true, description = "TFRecord shards (local).")
    String data;

    @Option(names = "--executors", defaultValue = "1,2", split = ",", description = "Executor counts (default: 1,2).")
    List<Integer> executors;

    @Option(names = "--work", defaultValue = "runs/spark-bench", description = "Where the cluster and outputs go.")
    Path work;

    @Option(names = "--event-log", description = "Keep Spark's event logs here (per-task timings for a closer look).")
    Path eventLog;

    @Option(names = "--spark-target", defaultValue = "spark/target", description = "The spark module's build directory.")
    Path sparkTarget;

    @Override
    public Integer call() throws Exception {
        ExecutorModels.configureEngine(1);
        Files.createDirectories(work);
        List<String> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        int videos = TaggingPredictions.write(RunDirectory.open(run), data, work.resolve("predict.csv"), 20,
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        double single = (System.nanoTime() - t0) / 1e9;
        rows.add(String.format(Locale.ROOT, "| single JVM `vidkit predict` (1 thread; in this JVM) | %d | %.1f | %.0f | | | |",
                videos, single, videos / single));
        double base = 0;
        double baseSteady = 0;
        double firstShard = 0;
        for (int n : executors) {
            Path dir = work.resolve("cluster-" + n);
            try (LocalCluster cluster = LocalCluster.start(sparkTarget, n, 1, "3g", dir)) {
                if (firstShard == 0) {
                    String one = data.contains("*") || Files.isDirectory(Path.of(data))
                            ? vidkit.data.Shards.resolve(data).get(0).toString() : data;
                    long s = System.nanoTime();
                    submit(cluster, 1, dir.resolve("startup"), one);
                    firstShard = (System.nanoTime() - s) / 1e9;
                }
                long s = System.nanoTime();
                JsonNode report = submit(cluster, n, dir.resolve("out"), data);
                double wall = (System.nanoTime() - s) / 1e9;
                double job = report.path("seconds").asDouble();
                double span = report.path("spanSeconds").asDouble();
                double steady = report.path("steadyRowsPerSecond").asDouble();
                long count = report.path("rows").asLong();
                double rate = count / job;
                if (base == 0) {
                    base = rate;
                    baseSteady = steady;
                }
                rows.add(String.format(Locale.ROOT, "| Spark standalone, %d executor%s x 1 core | %d | %.1f (tasks' span %.1f; "
                        + "submit to exit %.1f) | %.0f | %.2f | %.0f | %.2f |", n, n == 1 ? "" : "s", count, job, span, wall,
                        rate, rate / base, steady, steady / baseSteady));
            }
        }
        System.out.println("| setup | videos | job seconds | videos/s | vs 1 executor | steady videos/s (after each "
                + "executor's first task) | vs 1 executor |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nfixed cost (spark-submit to exit, tagging 1 shard on 1 executor): %.1f s%n",
                firstShard);
        double perExecutor = baseSteady;
        for (int n : new int[] {10, 100, 1000}) {
            double minutes = (YT8M_VIDEOS / (perExecutor * n) + firstShard) / 60;
            System.out.printf(Locale.ROOT, "projection: %,d videos on %,d executors at %.0f videos/s each (the steady "
                    + "rate of 1 executor; linear scaling; + the fixed cost): %.1f min%n",
                    YT8M_VIDEOS, n, perExecutor, minutes);
        }
        return 0;
    }

    private JsonNode submit(LocalCluster cluster, int n, Path out, String shards) throws Exception {
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process p = cluster.submit(n, eventLog == null ? Map.of()
                : Map.of("spark.eventLog.enabled", "true", "spark.eventLog.dir", eventLog.toAbsolutePath().toUri().toString()), log, List.of("tag", "--run", run.toAbsolutePath().toString(), "--data",
                shards, "--out", out.toAbsolutePath().toString(), "--overwrite"));
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the job failed (exit " + p.exitValue() + "): see " + log);
        }
        return vidkit.core.Json.MAPPER.readTree(out.resolve(JobOutput.REPORT).toFile());
    }
}
