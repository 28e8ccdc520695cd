package vidkit.qa;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Configs;
import vidkit.data.SyntheticPairs;
import vidkit.train.TaskContract;

/** The task contract on a small graph answerer over synthetic clips and questions generated from their annotations. */
class QaContractTest extends TaskContract {
    @TempDir static Path shared;
    static Path data;
    static Path questions;

    @BeforeAll
    static void makeData() throws Exception {
        data = shared.resolve("synthetic");
        SyntheticPairs.write(data, 120, 8, 16, 8, 4, 9);
        questions = shared.resolve("qa.jsonl");
        QuestionsFile.write(questions, QuestionGenerator.generate(data, 1));
    }

    @Override
    protected ObjectNode smallConfig(int epochs) throws Exception {
        return Configs.readTree(null, List.of("type=qa", "data=" + data, "questions=" + questions, "model.hidden=16",
                "model.heads=2", "model.layers=1", "model.reconstruction=true", "epochs=" + epochs, "batchSize=64",
                "earlyStopping=0"));
    }
}
