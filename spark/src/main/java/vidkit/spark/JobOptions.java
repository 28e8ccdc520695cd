package vidkit.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every job takes. */
final class JobOptions {
    @Option(names = "--master", description = "Run in-process on this master (local[*], local[2], spark://host:7077). "
            + "Leave it out under spark-submit, which sets the master.")
    String master;

    @Option(names = "--on-corrupt", defaultValue = "skip", description = "skip (default): skip corrupt records and "
            + "files, list them in OUT/skipped.csv and on stderr, exit status 2; fail: write nothing and fail naming "
            + "every corrupt file.")
    String onCorrupt;

    @Option(names = "--overwrite", description = "Replace the output of an earlier finished job in --out.")
    boolean overwrite;

    /** Validated {@code --on-corrupt}: true to fail. */
    boolean failOnCorrupt() {
        return switch (onCorrupt) {
            case "skip" -> false;
            case "fail" -> true;
            default -> throw new IllegalArgumentException("--on-corrupt must be skip or fail, got " + onCorrupt);
        };
    }

    /** The session: {@code getOrCreate()}, on {@code --master} when given (else spark-submit's). */
    SparkSession session(String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            b.master(master);
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("vidkit.sparkLogLevel", "WARN"));
        return spark;
    }
}
