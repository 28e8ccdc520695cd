package vidkit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import vidkit.train.Configs;
import vidkit.train.MatchingTrainer;
import vidkit.train.TaggingTrainConfig;
import vidkit.train.TaggingTrainer;
import vidkit.train.RunDirectory;
import vidkit.train.TrainConfig;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a matching model or a tagger from a JSON config (its \"type\": matching or tagging); "
                + "writes a run directory.")
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", description = "JSON config file (see configs/).")
    Path config;

    @Option(names = "--set", description = "Override a config key: --set model.hidden=64 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "runs", description = "Where new run directories go (default: ${DEFAULT-VALUE}).")
    Path runs;

    @Option(names = "--resume", description = "Continue this run from its last complete checkpoint.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        String command = Main.commandLine(spec.commandLine().getParseResult().originalArgs());
        Path dir;
        if (resume != null) {
            if (config != null || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume continues a run with its own config: drop --config/--set");
            }
            RunDirectory run = RunDirectory.open(resume);
            dir = run.task().equals("tagging") ? TaggingTrainer.resume(run, command, System.out).run().path()
                    : MatchingTrainer.resume(run, command, System.out).run().path();
        } else {
            if (config == null && overrides.isEmpty()) {
                throw new IllegalArgumentException("give --config FILE (and/or --set key=value)");
            }
            ObjectNode tree = Configs.readTree(config, overrides);
            Path source = config == null ? Path.of("--set") : config;
            dir = switch (Configs.task(tree)) {
                case "matching" -> MatchingTrainer.train(TrainConfig.parse(tree, source), runs, command, System.out).run().path();
                case "tagging" -> TaggingTrainer.train(TaggingTrainConfig.parse(tree, source), runs, command, System.out)
                        .run().path();
                default -> throw new IllegalArgumentException(source + ": unknown task type '" + Configs.task(tree)
                        + "' (expected matching or tagging)");
            };
        }
        System.out.printf("report: %s%n", vidkit.report.RunReport.write(RunDirectory.open(dir), null));
        System.out.printf("%nrun directory: %s%n", dir);
        return 0;
    }
}
