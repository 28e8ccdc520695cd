package vidkit.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import vidkit.core.Checkpoint;
import vidkit.core.RunDirectory;
import vidkit.data.InvalidDataException;

/** What the jobs share on the driver: the run's checkpoint as bytes, skip reports, the job report. */
final class Jobs {
    private Jobs() {}

    /** A run's inference checkpoint, read and verified on the driver, to be broadcast as bytes. */
    record ShippedCheckpoint(java.nio.file.Path file, byte[] bytes, String sha256, String taskType) {}

    static ShippedCheckpoint checkpointOf(java.nio.file.Path run, String... taskTypes) throws IOException {
        RunDirectory dir = RunDirectory.open(run);
        java.nio.file.Path file = dir.inferenceCheckpoint();
        byte[] bytes = Files.readAllBytes(file);
        Checkpoint c = Checkpoint.read(bytes, file);
        if (!List.of(taskTypes).contains(c.taskType())) {
            throw new IllegalArgumentException(run + " is a " + c.taskType() + " run; this job takes a "
                    + String.join(" or ", taskTypes) + " run");
        }
        return new ShippedCheckpoint(file, bytes, sha256(bytes), c.taskType());
    }

    /**
     * A job under way on the driver: the session (and its start-up time), Hadoop's configuration, the
     * sorted inputs and the output directory begun.
     */
    record Started(SparkSession spark, JavaSparkContext jsc, Configuration conf, List<InputFiles.InputFile> files,
            JobOutput output, String startedAt, double startupSeconds, long startNanos) {
        /** Seconds since the inputs were listed. */
        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        long inputBytes() {
            return files.stream().mapToLong(InputFiles.InputFile::bytes).sum();
        }

        /** Ships what every task needs: the checkpoint's bytes (null for none), Hadoop's configuration, the skip log. */
        Shipment ship(ShippedCheckpoint checkpoint) {
            return new Shipment(checkpoint == null ? null : jsc.broadcast(checkpoint.bytes()),
                    checkpoint == null ? null : checkpoint.sha256(), checkpoint == null ? null : checkpoint.file().toString(),
                    jsc.broadcast(new SerializableConfiguration(conf)), jsc.sc().collectionAccumulator("vidkit skipped"));
        }
    }

    /** Starts the session, lists {@code data} ({@code glob} for a bare directory) and begins {@code out}. */
    static Started start(JobOptions job, String appName, String data, String glob, String out) throws IOException {
        long t0 = System.nanoTime();
        SparkSession spark = job.session(appName);
        double startup = (System.nanoTime() - t0) / 1e9;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ExecutorModels.configureEngine(taskCpus(spark));
        Configuration conf = jsc.hadoopConfiguration();
        List<InputFiles.InputFile> files = InputFiles.list(data, glob, conf);
        JobOutput output = JobOutput.begin(out, conf, job.overwrite, jsc.sc().applicationId());
        return new Started(spark, jsc, conf, files, output, java.time.Instant.now().toString(), startup, System.nanoTime());
    }

    /**
     * What the driver ships to every task: the run's checkpoint bytes (broadcast once; null for a job
     * without a model) with its SHA-256 and name, Hadoop's configuration, and the accumulator that
     * collects what was skipped (merged once per successful task: retries never double it).
     */
    record Shipment(Broadcast<byte[]> checkpointBytes, String sha256, String name,
            Broadcast<SerializableConfiguration> hadoop, CollectionAccumulator<Problem> problems)
            implements java.io.Serializable {
        Configuration conf() {
            return hadoop.value().value();
        }

        /** The shipped checkpoint, read and verified (on an executor, once: see {@link ExecutorModels}). */
        Checkpoint checkpoint() throws IOException {
            return Checkpoint.read(checkpointBytes.value(), java.nio.file.Path.of(name));
        }

        /** Reports a shard's skipped records. */
        void skipped(vidkit.data.Yt8mReader.Result r) {
            for (vidkit.data.Yt8mReader.Skipped s : r.skipped()) {
                problems.add(new Problem(s.file().toString(), s.offset(), s.reason()));
            }
        }

        /** Reports a file that could not be used at all. */
        void skipped(String file, Exception e) {
            problems.add(new Problem(file, -1, e.getMessage()));
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The skip reports, in file then offset order. */
    static List<Problem> sorted(List<Problem> problems) {
        List<Problem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparing(Problem::file).thenComparingLong(Problem::offset));
        return out;
    }

    /** Writes {@code skipped.csv} and tells stderr; with {@code fail}, throws naming every file instead. */
    static void report(List<Problem> problems, boolean fail, JobOutput out) throws IOException {
        if (fail && !problems.isEmpty()) {
            LinkedHashSet<String> files = new LinkedHashSet<>();
            problems.forEach(p -> files.add(p.file()));
            Problem first = problems.get(0);
            throw new InvalidDataException(java.nio.file.Path.of(first.file()), "corrupt input (--on-corrupt fail; "
                    + "nothing written): " + problems.size() + " problem(s) in " + files.size() + " file(s): "
                    + String.join(", ", files) + "; first: " + (first.offset() < 0 ? "" : "byte " + first.offset()
                    + ": ") + first.reason());
        }
        out.write("skipped.csv", os -> {
            StringBuilder b = new StringBuilder("file,offset,reason\n");
            for (Problem p : problems) {
                b.append(p.csvLine()).append('\n');
            }
            os.write(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        for (Problem p : problems) {
            System.err.printf("vidkit spark: skipped %s%s: %s%n", p.file(), p.offset() < 0 ? "" : " at byte "
                    + p.offset(), p.reason());
        }
    }

    static List<String> files(List<Problem> problems) {
        return new ArrayList<>(new LinkedHashSet<>(problems.stream().map(Problem::file).toList()));
    }

    /** Executors alive now (1 in local mode: the driver runs the tasks). */
    static int executors(JavaSparkContext jsc) {
        int n = jsc.sc().getExecutorMemoryStatus().size();
        return Math.max(1, n - 1);
    }

    static int taskCpus(SparkSession spark) {
        return spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
    }

    static byte[] json(JobReport r) throws IOException {
        return vidkit.core.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r);
    }
}
