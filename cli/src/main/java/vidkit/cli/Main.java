package vidkit.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.data.InvalidDataException;
import vidkit.core.Provenance;

/** Entry point of the {@code vidkit} command. */
@Command(name = "vidkit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Multimodal video understanding on the JVM.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, MatchCommand.class,
            BenchCommand.class, PredictCommand.class, ReportCommand.class, RunsCommand.class, EmbedCommand.class,
            EmbedTextCommand.class, ExtractCommand.class, PairsCommand.class, QaCommand.class, AskCommand.class, IndexCommand.class, ServeCommand.class, LoadCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit status for bad input (files, configs, arguments). */
    static final int BAD_INPUT = 2;

    @Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT,
            description = "Compute threads: PyTorch intra-op and vidkit's scoring kernels (default: all cores). "
                    + "Same seed + same threads = same metrics.")
    void setThreads(int threads) {
        if (threads < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be >= 1");
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vidkit " + Provenance.version()};
        }
    }

    /** Runs the command line and returns the exit status. */
    public static int run(String... args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        return newCommandLine().execute(args);
    }

    /** The command line with vidkit's error handling: bad input → one line on stderr, status 2. */
    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof java.nio.file.NoSuchFileException missing) {
                err.println("vidkit: error: no such file: " + missing.getFile());
                return BAD_INPUT;
            }
            if (e instanceof InvalidDataException || e instanceof IllegalArgumentException) {
                err.println("vidkit: error: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The command line as typed, for provenance. */
    static String commandLine(List<String> parts) {
        return "vidkit " + String.join(" ", parts);
    }
}
