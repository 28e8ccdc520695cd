package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.core.EvaluationRequest;
import vidkit.core.RunDirectory;
import vidkit.core.TaskRegistry;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a run. Matching: a run or an ensemble, optionally re-ranked by a cross model; course "
                + "protocol (N-way top-k) and whole-set R@K, median rank, MRR. Tagging: GAP@20, mAP, Hit@1, PERR "
                + "(and accuracy with the confusion matrix on single-label data).")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A run directory; repeat for an ensemble (standardized scores averaged).")
    List<Path> runs;

    @Option(names = "--data", description = "Data to evaluate on, all of it: a paired directory (matching) or a directory, file or "
                    + "glob of TFRecord shards (tagging). Default: the run's validation split.")
    Path data;

    @Option(names = "--normalization", description = "none, dual_softmax or sinkhorn (default: the first run's config).")
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
        if (normalization != null) {
            Options.normalization(normalization); // a bad name fails here, listing the valid ones
        }
        EvaluationRequest request = new EvaluationRequest(dirs, data == null ? null : data.toString(), normalization,
                temperature, rerank == null ? null : RunDirectory.open(rerank), rerankK);
        TaskRegistry.forRun(dirs.get(0)).evaluate(request, System.out);
        return 0;
    }
}
