package vidkit.matching;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vidkit.train.TestData;

final class TrainTestSupport {
    private TrainTestSupport() {}

    static Path courseData() {
        return TestData.courseData();
    }

    /** A small, fast two-tower config on {@code data}. */
    static MatchingConfig smallTwoTower(Path data, int epochs, String... more) throws Exception {
        var overrides = new java.util.ArrayList<>(List.of("type=matching", "data=" + data, "model.type=twotower", "model.hidden=32",
                "model.embedding=16", "model.pooling=attention", "epochs=" + epochs, "batchSize=32",
                "optimizer.learningRate=0.003", "evaluation.draws=100", "evaluation.bootstrap=50",
                "schedule.kind=constant"));
        overrides.addAll(List.of(more));
        return MatchingConfig.load(null, overrides);
    }
}
