package vidkit.spark;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import vidkit.data.InvalidDataException;

/** {@code vidkit spark}: the batch jobs, run in-process ({@code --master}) or under {@code spark-submit}. */
@Command(name = "vidkit spark", mixinStandardHelpOptions = true,
        description = "Batch jobs on Apache Spark: the same answers as the single-JVM commands, across machines.",
        subcommands = {TagJob.class, EmbedJob.class, ExtractFeaturesJob.class, BenchJob.class})
public final class SparkMain implements Callable<Integer> {
    /** Exit status for bad input, and for a job that skipped corrupt input. */
    static final int BAD_INPUT = 2;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** Runs a command line and returns the exit status. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            Throwable cause = e;
            if (e instanceof InvalidDataException || e instanceof IllegalArgumentException
                    || e instanceof java.nio.file.NoSuchFileException) {
                err.println("vidkit spark: error: " + cause.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        int status = run(args);
        System.exit(status);
    }
}
