package vidkit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.core.RunDirectory;
import vidkit.core.PredictionRequest;
import vidkit.core.TaskRegistry;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict with a run through its task. Tagging: the YouTube-8M Kaggle format "
                + "(VideoId,LabelConfidencePairs; top k per video). Matching runs score with `vidkit match`.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A run directory.")
    Path run;

    @Option(names = "--data", required = true,
            description = "TFRecord shards (a file, a directory or a glob such as 'dir/test*.tfrecord') or a paired directory.")
    String data;

    @Option(names = "--out", required = true, description = "The CSV to write (atomically).")
    Path out;

    @Option(names = "--top-k", defaultValue = "20", description = "Classes per video (default: ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() throws Exception {
        RunDirectory dir = RunDirectory.open(run);
        TaskRegistry.forRun(dir).predict(new PredictionRequest(dir, data, out, topK), System.out);
        return 0;
    }
}
