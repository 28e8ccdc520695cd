package vidkit.matching;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Configs;
import vidkit.data.SyntheticPairs;
import vidkit.train.TaskContract;

/** The task contract on a small two-tower matcher over synthetic paired clips. */
class MatchingContractTest extends TaskContract {
    @TempDir static Path shared;
    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = shared.resolve("synthetic");
        SyntheticPairs.write(data, 160, 6, 16, 8, 4, 3);
    }

    @Override
    protected ObjectNode smallConfig(int epochs) throws Exception {
        return Configs.readTree(null, List.of("type=matching", "data=" + data, "model.type=twotower", "model.hidden=16",
                "model.embedding=8", "epochs=" + epochs, "batchSize=32", "optimizer.learningRate=0.003",
                "evaluation.draws=20", "evaluation.bootstrap=10", "augment.noise=0.1", "augment.timeShift=1",
                "earlyStopping=0"));
    }
}
