package vidkit.qa;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import vidkit.core.Configs;
import vidkit.core.InitConfig;
import vidkit.core.OptimizerConfig;
import vidkit.core.ScheduleConfig;
import vidkit.core.TaskConfig;
import vidkit.core.TeacherConfig;
import vidkit.data.SplitConfig;
import vidkit.nn.AnswererConfig;

/**
 * Everything a question-answering run needs ({@code "type": "qa"}). Defaults live here.
 *
 * @param type {@code "qa"}
 * @param data the paired directory of the clips' per-second features (required)
 * @param questions the questions file (JSON lines, {@link QuestionsFile}; required), e.g. made by
 *     {@code vidkit qa generate}
 * @param answers an answer vocabulary file (one per line); a training question whose answer is not
 *     in it is an error naming the line. Default: every answer of the questions file, sorted
 * @param split the clips' train/validation split (seeded, stratified by class, grouped by source
 *     video); all of a clip's questions go to its clip's side
 * @param model the answerer: the graph model or a baseline
 * @param textModel the pretrained encoder whose token states are the question's word vectors (a
 *     {@code vidkit.text.TextModel} id; default {@code minilm-l6})
 * @param reconstructionWeight weight of the streams' reconstruction loss (mean squared error on the
 *     normalized inputs) when {@code model.reconstruction} is on (default 0.1)
 * @param eventWeight weight of an auxiliary loss on the graph model's per-second event profile: the
 *     binary cross-entropy against the clip's annotated event seconds ({@code labels.csv}'s {@code
 *     start_s}/{@code end_s}, the annotations the questions come from; default 0 = off). Baselines
 *     have no such head
 * @param labelSmoothing ε of the answer loss's label smoothing (default 0.1: with 0 and noise 0.1 the graph
 *     model's validation accuracy was 0.765 and its "when" answers fell below the prior as it fit the
 *     training clips; with both defaults 0.772)
 * @param noise Gaussian noise on normalized features in training (default 0.3)
 * @param optimizer Adam/AdamW and clipping
 * @param schedule the learning-rate schedule
 * @param epochs maximum epochs (default 30)
 * @param batchSize questions per batch (default 128)
 * @param earlyStopping stop after this many epochs without a better validation accuracy on seen
 *     phrasings (default 6)
 * @param seed seeds initialization, shuffling, dropout and noise (default 1)
 * @param init start one block from another run (optional)
 * @param teacher refused: no question-answering loss uses one
 */
public record QaConfig(String type, String data, String questions, String answers, SplitConfig split,
        AnswererConfig model, String textModel, Double reconstructionWeight, Double eventWeight, Double labelSmoothing, Double noise, OptimizerConfig optimizer,
        ScheduleConfig schedule, Integer epochs, Integer batchSize, Integer earlyStopping, Long seed, InitConfig init,
        TeacherConfig teacher) implements TaskConfig {
    public QaConfig {
        type = type == null ? "qa" : type;
        if (!type.equals("qa")) {
            throw new IllegalArgumentException("type must be \"qa\", got \"" + type + "\"");
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data: the paired directory of the clips' features is required");
        }
        if (questions == null || questions.isBlank()) {
            throw new IllegalArgumentException("questions: the questions file (JSON lines) is required; "
                    + "`vidkit qa generate` makes one from AVE annotations");
        }
        split = split == null ? SplitConfig.defaults() : split;
        model = model == null ? AnswererConfig.defaults() : model;
        textModel = vidkit.text.TextModel.of(textModel == null ? "minilm-l6" : textModel).id();
        reconstructionWeight = reconstructionWeight == null ? 0.1 : reconstructionWeight;
        eventWeight = eventWeight == null ? 0.0 : eventWeight;
        labelSmoothing = labelSmoothing == null ? 0.1 : labelSmoothing;
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + labelSmoothing);
        }
        noise = noise == null ? 0.3 : noise;
        optimizer = optimizer == null ? OptimizerConfig.defaults() : optimizer;
        schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
        epochs = epochs == null ? 30 : epochs;
        batchSize = batchSize == null ? 128 : batchSize;
        earlyStopping = earlyStopping == null ? 6 : earlyStopping;
        seed = seed == null ? 1L : seed;
        if (eventWeight < 0 || reconstructionWeight < 0 || noise < 0 || epochs < 1 || batchSize < 2 || earlyStopping < 0) {
            throw new IllegalArgumentException("eventWeight >= 0, reconstructionWeight >= 0, noise >= 0, epochs >= 1, batchSize >= 2 and "
                    + "earlyStopping >= 0 required");
        }
        if (teacher != null) {
            throw new IllegalArgumentException("teacher: no question-answering loss uses a teacher");
        }
    }

    public static QaConfig load(Path file, List<String> overrides) throws IOException {
        return Configs.bind(Configs.readTree(file, overrides), QaConfig.class, Configs.source(file));
    }

    public Path dataPath() {
        return Path.of(data);
    }
}
