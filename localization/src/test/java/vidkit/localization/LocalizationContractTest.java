package vidkit.localization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Configs;
import vidkit.data.SyntheticPairs;
import vidkit.train.TaskContract;

/** The task contract on a small localizer over synthetic clips with annotated event intervals. */
class LocalizationContractTest extends TaskContract {
    @TempDir static Path shared;
    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = shared.resolve("synthetic");
        SyntheticPairs.write(data, 160, 8, 16, 8, 4, 9);
    }

    @Override
    protected ObjectNode smallConfig(int epochs) throws Exception {
        return Configs.readTree(null, List.of("type=localization", "data=" + data, "model.hidden=16",
                "model.attentionDim=8", "epochs=" + epochs, "batchSize=32", "earlyStopping=0"));
    }
}
