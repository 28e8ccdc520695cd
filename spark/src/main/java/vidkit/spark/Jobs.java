package vidkit.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
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
