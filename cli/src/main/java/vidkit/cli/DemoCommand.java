package vidkit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import vidkit.data.SyntheticPairs;
import vidkit.train.Trainer;
import vidkit.matching.MatchingConfig;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate the built-in paired dataset (deterministic, with events shared by both "
                + "modalities at the same seconds), train a two-tower matcher on it and print the evaluation.")
final class DemoCommand implements Callable<Integer> {
    static final int CLIPS = 2000;

    @Spec CommandSpec spec;

    @Option(names = "--runs", defaultValue = "runs", description = "Where the demo data and run go (default: ${DEFAULT-VALUE}).")
    Path runs;

    @Option(names = "--epochs", defaultValue = "20", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Override
    public Integer call() throws Exception {
        Path data = runs.resolve("demo-data");
        if (!Files.exists(data.resolve("labels.csv"))) {
            System.out.printf("generating the built-in dataset: %d clips of 10 s (video 64-d, audio 32-d) in %s%n",
                    CLIPS, data);
            SyntheticPairs.write(data, CLIPS, 10, 64, 32, 10, 7);
        }
        MatchingConfig config = MatchingConfig.load(null, List.of(
                "data=" + data,
                "model.type=twotower", "model.hidden=128", "model.embedding=64",
                "epochs=" + epochs, "batchSize=128", "optimizer.learningRate=0.003", "seed=1"));
        Trainer.Result<?> r = Trainer.train(config, Trainer.Options.of(runs,
                Main.commandLine(spec.commandLine().getParseResult().originalArgs()), System.out));
        System.out.printf("%nrun directory: %s%n", r.run().path());
        return 0;
    }
}
