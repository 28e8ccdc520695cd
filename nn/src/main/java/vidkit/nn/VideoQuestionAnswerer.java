package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.AbstractBlock;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A model that answers a question about a clip by classifying over an answer vocabulary. Inputs:
 * {@code video [batch, seconds, videoDim]}, {@code audio [batch, seconds, audioDim]} (normalized
 * features), the question's token vectors {@code [batch, tokens, tokenDim]} and their mask {@code
 * [batch, tokens]} (1 = real token). Output: answer logits {@code [batch, answers]} (and, when the
 * model rebuilds its inputs, the reconstructions, same shapes as the inputs). See {@link
 * GraphAnswerer} and {@link BaselineAnswerer}.
 */
public abstract class VideoQuestionAnswerer extends AbstractBlock {
    protected final AnswererConfig config;
    protected final int answers;

    protected VideoQuestionAnswerer(AnswererConfig config, int answers) {
        super((byte) 1);
        if (answers < 2) {
            throw new IllegalArgumentException("question answering needs at least 2 answers, got " + answers);
        }
        this.config = config;
        this.answers = answers;
    }

    /**
     * Answer logits {@code [batch, answers]}; reconstructions {@code [batch, seconds, videoDim]} and
     * {@code [batch, seconds, audioDim]} when the config asks for them, else {@code null}; per-second
     * event logits {@code [batch, seconds]} (question-independent: is an event happening) where the
     * model has that head, else {@code null}.
     */
    public record Output(NDArray logits, NDArray videoReconstruction, NDArray audioReconstruction, NDArray eventLogits) {}

    public abstract Output forward(ParameterStore ps, NDArray video, NDArray audio, NDArray tokens, NDArray tokenMask,
            boolean training);

    public AnswererConfig config() {
        return config;
    }

    public int answers() {
        return answers;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), training).logits());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), answers)};
    }
}
