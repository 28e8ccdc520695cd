package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import vidkit.core.RunDirectory;
import vidkit.core.TaskRegistry;
import vidkit.train.Trainer;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a JSON config (its \"type\" names the task: matching, tagging, localization, or any task on the class path); "
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

    @Option(names = "--stop-after-epoch", defaultValue = "0",
            description = "Stop once this many epochs are done (the run stays resumable with --resume; 0 = run to the end).")
    int stopAfterEpoch;

    @Override
    public Integer call() throws Exception {
        String command = Main.commandLine(spec.commandLine().getParseResult().originalArgs());
        Trainer.Options options = new Trainer.Options(runs, command, System.out, stopAfterEpoch);
        Trainer.Result<?> result;
        if (resume != null) {
            if (config != null || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume continues a run with its own config: drop --config/--set");
            }
            result = Trainer.resume(RunDirectory.open(resume), options);
        } else {
            if (config == null && overrides.isEmpty()) {
                throw new IllegalArgumentException("give --config FILE (and/or --set key=value)");
            }
            result = Trainer.train(TaskRegistry.loadConfig(config, overrides), options);
        }
        Path dir = result.run().path();
        if (!result.stopped()) {
            System.out.printf("report: %s%n", vidkit.report.RunReport.write(result.run(), null));
        }
        System.out.printf("%nrun directory: %s%n", dir);
        return 0;
    }
}
