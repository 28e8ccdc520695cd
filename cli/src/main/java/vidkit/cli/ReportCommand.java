package vidkit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vidkit.report.RunReport;
import vidkit.core.RunDirectory;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a run's self-contained HTML report: curves, config, provenance and evaluation charts "
                + "(also written at the end of every training run).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The run directory.")
    Path run;

    @Option(names = "--out", description = "The HTML file (default: RUN/report.html).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path written = RunReport.write(RunDirectory.open(run), out);
        System.out.println("report: " + written);
        return 0;
    }
}
