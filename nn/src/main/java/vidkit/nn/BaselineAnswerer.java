package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * The question-answering baselines, each an MLP ({@code Linear_H → ReLU → dropout → Linear_A}) over:
 *
 * <pre>
 *   question: q                                         (QuestionEncoder's sentence vector [B, H])
 *   video:    [ReLU(Linear_H(mean_T video)), ReLU(Linear_H(mean_T audio))]   no question at all
 *   fusion:   [ReLU(Linear_H(mean_T video)), ReLU(Linear_H(mean_T audio)), q]
 * </pre>
 */
public final class BaselineAnswerer extends VideoQuestionAnswerer {
    private final QuestionEncoder question;
    private final Linear videoIn;
    private final Linear audioIn;
    private final Linear hiddenLayer;
    private final Linear classifier;

    BaselineAnswerer(AnswererConfig config, int answers) {
        super(config, answers);
        int h = config.hidden();
        boolean usesQuestion = config.type() != AnswererConfig.Kind.VIDEO;
        boolean usesVideo = config.type() != AnswererConfig.Kind.QUESTION;
        question = usesQuestion ? addChildBlock("question", new QuestionEncoder(h, config.wordDropout().floatValue())) : null;
        videoIn = usesVideo ? addChildBlock("videoIn", Linear.builder().setUnits(h).build()) : null;
        audioIn = usesVideo ? addChildBlock("audioIn", Linear.builder().setUnits(h).build()) : null;
        hiddenLayer = addChildBlock("hidden", Linear.builder().setUnits(h).build());
        classifier = addChildBlock("classifier", Linear.builder().setUnits(answers).build());
    }

    @Override
    public Output forward(ParameterStore ps, NDArray video, NDArray audio, NDArray tokens, NDArray tokenMask,
            boolean training) {
        NDList parts = new NDList();
        if (videoIn != null) {
            parts.add(Activation.relu(videoIn.forward(ps, new NDList(video.mean(new int[] {1})), training).singletonOrThrow()));
            parts.add(Activation.relu(audioIn.forward(ps, new NDList(audio.mean(new int[] {1})), training).singletonOrThrow()));
        }
        if (question != null) {
            parts.add(question.encode(ps, tokens, tokenMask, training).sentence());
        }
        NDArray x = parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 1);
        NDArray z = Activation.relu(hiddenLayer.forward(ps, new NDList(x), training).singletonOrThrow());
        z = Layers.dropout(z, config.dropout(), training);
        return new Output(classifier.forward(ps, new NDList(z), training).singletonOrThrow(), null, null, null);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int h = config.hidden();
        int width = 0;
        if (videoIn != null) {
            videoIn.initialize(manager, dataType, new Shape(b, inputShapes[0].get(2)));
            audioIn.initialize(manager, dataType, new Shape(b, inputShapes[1].get(2)));
            width += 2 * h;
        }
        if (question != null) {
            question.initialize(manager, dataType, inputShapes[2], inputShapes[3]);
            width += h;
        }
        hiddenLayer.initialize(manager, dataType, new Shape(b, width));
        classifier.initialize(manager, dataType, new Shape(b, h));
    }
}
