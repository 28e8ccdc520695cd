package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vidkit.report.RunComparison;
import vidkit.core.RunDirectory;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Work with several run directories.",
        subcommands = {RunsCommand.Compare.class})
final class RunsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "A table of the runs' config keys that differ and their final metrics; --html adds the curves overlaid.")
    static final class Compare implements Callable<Integer> {
        @Parameters(arity = "2..*", description = "Two or more run directories.")
        List<Path> runs;

        @Option(names = "--html", description = "Also write the table with the curves overlaid to this HTML file.")
        Path html;

        @Override
        public Integer call() throws Exception {
            List<RunDirectory> dirs = new ArrayList<>();
            for (Path p : runs) {
                dirs.add(RunDirectory.open(p));
            }
            RunComparison.Result r = RunComparison.compare(dirs);
            System.out.print(RunComparison.table(r));
            if (html != null) {
                System.out.println("html: " + RunComparison.writeHtml(dirs, r, html));
            }
            return 0;
        }
    }
}
