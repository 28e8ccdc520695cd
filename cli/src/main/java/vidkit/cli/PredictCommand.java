package vidkit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.train.RunDirectory;
import vidkit.train.TaggingPredictions;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Tag videos with a tagging run; writes the YouTube-8M Kaggle format "
                + "(VideoId,LabelConfidencePairs; top k per video).")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A tagging run directory.")
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
        if (!dir.task().equals("tagging")) {
            throw new IllegalArgumentException(run + " is a " + dir.task() + " run; predict needs a tagging run");
        }
        TaggingPredictions.write(dir, data, out, topK, System.out);
        return 0;
    }
}
