package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.train.Benchmark;
import vidkit.train.TrainConfig;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure scoring throughput (pairs/s for N x M, encoders included) and training throughput "
                + "(samples/s) of matching models on random features of the course data's shapes.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", split = ",", defaultValue = "twotower,localmix",
            description = "Model types, or JSON config files (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "-n", defaultValue = "1000", description = "Videos and audios (N = M; default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--frames", defaultValue = "10") int frames;
    @Option(names = "--video-dim", defaultValue = "512") int videoDim;
    @Option(names = "--audio-dim", defaultValue = "128") int audioDim;
    @Option(names = "--repeats", defaultValue = "5") int repeats;
    @Option(names = "--train-steps", defaultValue = "20") int trainSteps;

    @Option(names = "--set", description = "Config overrides applied to every model (e.g. batchSize=128).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        System.out.printf("%-10s %12s %16s %22s %20s%n", "model", "N x M", "scoring pairs/s", "runs (s)",
                "training samples/s");
        for (String m : models) {
            TrainConfig config;
            List<String> set = new ArrayList<>(List.of("data=none"));
            if (m.endsWith(".json")) {
                set.addAll(overrides);
                config = TrainConfig.load(Path.of(m), set);
            } else {
                set.add("model.type=" + m);
                set.addAll(overrides);
                config = TrainConfig.load(null, set);
            }
            Benchmark.Result r = Benchmark.run(config, n, n, frames, videoDim, audioDim, repeats, trainSteps);
            StringBuilder runs = new StringBuilder();
            for (double s : r.scoringSeconds()) {
                runs.append(String.format(Locale.ROOT, "%.3f ", s));
            }
            System.out.printf(Locale.ROOT, "%-10s %12s %16.0f %22s %20.0f%n", r.model(), n + " x " + n,
                    r.scoringPairsPerSecond(), runs.toString().strip(), r.trainingSamplesPerSecond());
        }
        System.out.printf("threads: %s (PyTorch intra-op); batch size for training: from the config%n",
                System.getProperty("ai.djl.pytorch.num_threads", "all cores"));
        return 0;
    }
}
