package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head graph attention over a complete graph whose attention is conditioned on the question
 * (DualVGR's question-guided graph attention, Wang et al. 2021). Nodes {@code x [batch, N, dim]}
 * gather from nodes {@code y [batch, M, dim]} — {@code y = x} for an intra-stream graph, the other
 * stream for a cross-stream graph — under the question {@code q [batch, dim]}:
 *
 * <pre>
 *   g = 1 + tanh(Wg q)                                   the question's gate  [batch, 1, dim]
 *   Qh = (x ⊙ g) Wq,  Kh = (y ⊙ g) Wk,  Vh = y Wv        split into H heads of dim/H
 *   Ah = softmax(Qh Khᵀ / √(dim/H))                      edge weights        [batch, H, N, M]
 *   out = ELU(concat_h(Ah Vh) Wo)                        the update           [batch, N, dim]
 * </pre>
 *
 * The update is returned without the residual; the caller adds it. The question enters only the
 * attention (which edges matter), as in DualVGR, not the values.
 */
public final class QuestionGraphAttention extends AbstractBlock {
    private final int dim;
    private final int heads;
    private final Linear gate;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public QuestionGraphAttention(int dim, int heads) {
        super((byte) 1);
        if (heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("graph attention: width " + dim + " must be a multiple of heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        gate = addChildBlock("gate", Linear.builder().setUnits(dim).build());
        query = addChildBlock("query", Linear.builder().setUnits(dim).optBias(false).build());
        key = addChildBlock("key", Linear.builder().setUnits(dim).optBias(false).build());
        value = addChildBlock("value", Linear.builder().setUnits(dim).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(dim).build());
    }

    private NDArray split(NDArray z) {
        Shape s = z.getShape();
        return z.reshape(s.get(0), s.get(1), heads, dim / heads).transpose(0, 2, 1, 3);
    }

    /** The edge weights {@code [batch, heads, N, M]} (each row sums to 1). */
    public NDArray weights(ParameterStore ps, NDArray x, NDArray y, NDArray q, boolean training) {
        NDArray g = ai.djl.nn.Activation.tanh(gate.forward(ps, new NDList(q), training).singletonOrThrow()).add(1f)
                .expandDims(1);
        NDArray qh = split(query.forward(ps, new NDList(x.mul(g)), training).singletonOrThrow());
        NDArray kh = split(key.forward(ps, new NDList(y.mul(g)), training).singletonOrThrow());
        return Scalars.times(qh.matMul(kh.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(dim / (double) heads))).softmax(3);
    }

    /** The update of {@code x [B, N, dim]} from {@code y [B, M, dim]} under {@code q [B, dim]}. */
    public NDArray update(ParameterStore ps, NDArray x, NDArray y, NDArray q, boolean training) {
        NDArray a = weights(ps, x, y, q, training);
        NDArray vh = split(value.forward(ps, new NDList(y), training).singletonOrThrow());
        Shape s = x.getShape();
        NDArray gathered = a.matMul(vh).transpose(0, 2, 1, 3).reshape(s.get(0), s.get(1), dim);
        return ai.djl.nn.Activation.elu(output.forward(ps, new NDList(gathered), training).singletonOrThrow(), 1f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(update(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        gate.initialize(manager, dataType, inputShapes[2]);
        query.initialize(manager, dataType, inputShapes[0]);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        output.initialize(manager, dataType, inputShapes[0]);
    }
}
