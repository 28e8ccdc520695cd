package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import vidkit.train.MatchingTrainer;
import vidkit.train.RunDirectory;
import vidkit.train.TrainConfig;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a matching model from a JSON config; writes a run directory.")
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
        MatchingTrainer.Result r;
        if (resume != null) {
            if (config != null || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume continues a run with its own config: drop --config/--set");
            }
            r = MatchingTrainer.resume(RunDirectory.open(resume), command, System.out);
        } else {
            if (config == null && overrides.isEmpty()) {
                throw new IllegalArgumentException("give --config FILE (and/or --set key=value)");
            }
            r = MatchingTrainer.train(TrainConfig.load(config, overrides), runs, command, System.out);
        }
        System.out.printf("%nrun directory: %s%n", r.run().path());
        return 0;
    }
}
