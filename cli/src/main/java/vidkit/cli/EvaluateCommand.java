package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.train.MatchingEvaluation;
import vidkit.train.RunDirectory;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a run, or an ensemble of runs, optionally re-ranked by a cross model: course "
                + "protocol (N-way top-k) and whole-set R@K, median rank, MRR.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A run directory; repeat for an ensemble (standardized scores averaged).")
    List<Path> runs;

    @Option(names = "--data", description = "A paired dataset to evaluate on (all its clips). Default: the runs' validation split.")
    Path data;

    @Option(names = "--normalization", description = "none or dual_softmax (default: the first run's config).")
    String normalization;

    @Option(names = "--temperature", description = "Dual-softmax temperature on standardized scores.")
    Double temperature;

    @Option(names = "--rerank", description = "A run of a cross model (localmix, rnncnn) that re-orders each query's top k.")
    Path rerank;

    @Option(names = "--rerank-k", defaultValue = "10", description = "Short-list length for --rerank (default: ${DEFAULT-VALUE}).")
    int rerankK;

    @Override
    public Integer call() throws Exception {
        List<RunDirectory> dirs = new ArrayList<>();
        for (Path p : runs) {
            dirs.add(RunDirectory.open(p));
        }
        MatchingEvaluation.evaluate(dirs, data, normalization == null ? null : Options.normalization(normalization),
                temperature, rerank == null ? null : RunDirectory.open(rerank), rerankK, System.out);
        return 0;
    }
}
