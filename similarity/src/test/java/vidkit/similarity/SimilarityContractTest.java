package vidkit.similarity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Configs;
import vidkit.train.TaskContract;

/** The task contract on a small pairwise similarity run over synthetic YouTube-8M-format videos. */
class SimilarityContractTest extends TaskContract {
    @TempDir static Path shared;
    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = SimilarityData.write(shared, 120, 12, 5);
    }

    @Override
    protected ObjectNode smallConfig(int epochs) throws Exception {
        return Configs.readTree(null, List.of("type=similarity", "data=" + data.resolve("shards/train-0.tfrecord"),
                "pairs=" + data.resolve("pairs"), "stage=pairwise", "layerDecay=0.8", "model.hidden=16",
                "model.embedding=8", "epochs=" + epochs, "batchSize=32", "earlyStopping=0"));
    }
}
