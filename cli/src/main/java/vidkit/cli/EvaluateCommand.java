package vidkit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.train.MatchingEvaluation;
import vidkit.train.RunDirectory;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a run: course protocol (N-way top-k) and whole-set R@K, median rank, MRR.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "The run directory.")
    Path run;

    @Option(names = "--data", description = "A paired dataset to evaluate on (all its clips). Default: the run's validation split.")
    Path data;

    @Override
    public Integer call() throws Exception {
        MatchingEvaluation.evaluate(RunDirectory.open(run), data, System.out);
        System.out.printf("%nwritten: %s%n", RunDirectory.open(run).evaluation());
        return 0;
    }
}
