package vidkit.tagging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Configs;
import vidkit.data.SyntheticPairs;
import vidkit.train.TaskContract;

/** The task contract on a small NetVLAD tagger over synthetic labelled clips (one event each). */
class TaggingContractTest extends TaskContract {
    @TempDir static Path shared;
    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = shared.resolve("synthetic");
        SyntheticPairs.write(data, 160, 6, 16, 8, 4, 5);
    }

    @Override
    protected ObjectNode smallConfig(int epochs) throws Exception {
        return Configs.readTree(null, List.of("type=tagging", "data=" + data, "model.pooling.type=netvlad",
                "model.pooling.clusters=4", "model.hidden=16", "epochs=" + epochs, "batchSize=32", "noise=0.1",
                "earlyStopping=0", "optimizer.learningRate=0.003"));
    }
}
