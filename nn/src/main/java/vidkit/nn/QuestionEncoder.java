package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A question's words to word states and a sentence vector: token vectors {@code [batch, tokens,
 * tokenDim]} (a pretrained encoder's token states, or word vectors) and their mask {@code [batch,
 * tokens]} (1 = a real token; real tokens first) → {@code Linear(hidden) → ReLU} → a BiLSTM of two
 * one-direction LSTMs of {@code hidden/2} → word states {@code [batch, tokens, hidden]} (zero at
 * padding) and the sentence vector {@code [batch, hidden]}: the word states' masked mean plus a
 * linear map of the token vectors' masked mean — for a pretrained encoder's token states that mean
 * is its own sentence embedding (MiniLM pools by the mean), which carries what pre-training knows
 * of paraphrases to phrasings the BiLSTM never saw. In training, whole token vectors are dropped
 * with probability {@code wordDropout} (word dropout), so no single word decides.
 *
 * <p>The backward LSTM reads each question reversed <em>within its own length</em> (a per-row
 * gather), not the padded row flipped, so padding never changes a result: a question gives the same
 * states alone or in a batch padded to a longer one.
 */
public final class QuestionEncoder extends AbstractBlock {
    private final int hidden;
    private final float wordDropout;
    private final Linear in;
    private final Linear sentenceIn;
    private final RecurrentBlock forwardCell;
    private final RecurrentBlock backwardCell;

    public QuestionEncoder(int hidden) {
        this(hidden, 0f);
    }

    public QuestionEncoder(int hidden, float wordDropout) {
        super((byte) 1);
        if (hidden < 2 || hidden % 2 != 0) {
            throw new IllegalArgumentException("the question encoder's width must be even and >= 2, got " + hidden);
        }
        this.hidden = hidden;
        this.wordDropout = wordDropout;
        in = addChildBlock("in", Linear.builder().setUnits(hidden).build());
        sentenceIn = addChildBlock("sentenceIn", Linear.builder().setUnits(hidden).build());
        forwardCell = addChildBlock("forward", RecurrentKind.LSTM.newLayer(hidden / 2));
        backwardCell = addChildBlock("backward", RecurrentKind.LSTM.newLayer(hidden / 2));
    }

    /** Word states {@code [batch, tokens, hidden]} (zero at padding) and sentence vectors {@code [batch, hidden]}. */
    public record Encoded(NDArray words, NDArray sentence) {}

    /** Encodes {@code tokens [B, L, D]} with {@code mask [B, L]} (float or int, 1 = real). */
    public Encoded encode(ParameterStore ps, NDArray tokens, NDArray mask, boolean training) {
        NDArray m = mask.toType(tokens.getDataType(), false).expandDims(2);
        if (training && wordDropout > 0) {
            NDArray keep = tokens.getManager().randomUniform(0f, 1f, new Shape(tokens.getShape().get(0),
                    tokens.getShape().get(1), 1)).gt(wordDropout).toType(tokens.getDataType(), false);
            tokens = tokens.mul(keep);
        }
        NDArray count = Scalars.atLeast(m.sum(new int[] {1}), 1f);
        NDArray pooled = tokens.mul(m).sum(new int[] {1}).div(count);
        NDArray x = ai.djl.nn.Activation.relu(in.forward(ps, new NDList(tokens), training).singletonOrThrow());
        NDArray reverse = reversalIndex(mask, hidden, x.getManager());
        NDArray f = forwardCell.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray xr = x.gather(reverse, 1);
        NDArray br = backwardCell.forward(ps, new NDList(xr), training).singletonOrThrow();
        NDArray b = br.gather(reverse.get(":, :, :" + hidden / 2), 1);
        NDArray words = NDArrays.concat(new NDList(f, b), 2).mul(m);
        NDArray sentence = words.sum(new int[] {1}).div(count)
                .add(sentenceIn.forward(ps, new NDList(pooled), training).singletonOrThrow());
        return new Encoded(words, sentence);
    }

    /**
     * Index {@code [B, L, width]} (int64) that reverses each row's first {@code len} positions and
     * keeps the padding after them in place; it is its own inverse.
     */
    static NDArray reversalIndex(NDArray mask, int width, NDManager manager) {
        long b = mask.getShape().get(0);
        int l = (int) mask.getShape().get(1);
        int w = width;
        float[] mk = mask.toType(DataType.FLOAT32, false).toFloatArray();
        long[] idx = new long[(int) b * l * w];
        for (int i = 0; i < b; i++) {
            int len = 0;
            for (int t = 0; t < l; t++) {
                len += mk[i * l + t] > 0.5f ? 1 : 0;
            }
            for (int t = 0; t < l; t++) {
                long src = t < len ? len - 1 - t : t;
                java.util.Arrays.fill(idx, (i * l + t) * w, (i * l + t + 1) * w, src);
            }
        }
        return manager.create(idx, new Shape(b, l, w));
    }

    public int hidden() {
        return hidden;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Encoded e = encode(ps, inputs.get(0), inputs.get(1), training);
        return new NDList(e.words(), e.sentence());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(1), hidden), new Shape(inputs[0].get(0), hidden)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        in.initialize(manager, dataType, s);
        sentenceIn.initialize(manager, dataType, new Shape(s.get(0), s.get(2)));
        Shape h = new Shape(new long[] {s.get(0), s.get(1), hidden},
                new LayoutType[] {LayoutType.BATCH, LayoutType.TIME, LayoutType.CHANNEL});
        forwardCell.initialize(manager, dataType, h);
        backwardCell.initialize(manager, dataType, h);
    }
}
