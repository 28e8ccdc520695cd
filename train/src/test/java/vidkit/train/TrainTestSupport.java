package vidkit.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

final class TrainTestSupport {
    private TrainTestSupport() {}

    static Path courseData() {
        Path p = Path.of(System.getProperty("vidkit.sharedData", "../shared/data")).resolve("std2022/train");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("real test data missing: expected " + p.toAbsolutePath());
        }
        return p;
    }

    /** A small, fast two-tower config on {@code data}. */
    static TrainConfig smallTwoTower(Path data, int epochs, String... more) throws Exception {
        var overrides = new java.util.ArrayList<>(List.of("data=" + data, "model.type=twotower", "model.hidden=32",
                "model.embedding=16", "model.pooling=attention", "epochs=" + epochs, "batchSize=32",
                "optimizer.learningRate=0.003", "evaluation.draws=100", "evaluation.bootstrap=50",
                "schedule.kind=constant"));
        overrides.addAll(List.of(more));
        return TrainConfig.load(null, overrides);
    }
}
