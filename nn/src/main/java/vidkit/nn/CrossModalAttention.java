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
 * One stream attending over another, with a residual: inputs {@code x [batch, T, dim]} (queries) and
 * {@code y [batch, S, dim]} (keys and values); output {@code x + softmax(Q Kᵀ / √d) V} {@code
 * [batch, T, dim]} with {@code Q = x Wq}, {@code K = y Wk}, {@code V = y Wv} ({@code d} = the
 * attention width). Single-head scaled dot-product attention (Vaswani et al. 2017), as the
 * cross-modal attention of AVE localization models (CMBS, PSP) uses it to let each second of one
 * modality gather the other modality's evidence.
 */
public final class CrossModalAttention extends AbstractBlock {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final int dim;

    /** @param attentionDim the width of queries and keys; values keep {@code dim} (the streams' width) */
    public CrossModalAttention(int attentionDim, int dim) {
        super((byte) 1);
        this.dim = dim;
        query = addChildBlock("query", Linear.builder().setUnits(attentionDim).optBias(false).build());
        key = addChildBlock("key", Linear.builder().setUnits(attentionDim).optBias(false).build());
        value = addChildBlock("value", Linear.builder().setUnits(dim).optBias(false).build());
    }

    /** The attention weights {@code [batch, T, S]} (each row sums to 1). */
    public NDArray weights(ParameterStore ps, NDArray x, NDArray y, boolean training) {
        NDArray q = query.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray k = key.forward(ps, new NDList(y), training).singletonOrThrow();
        double scale = 1 / Math.sqrt(q.getShape().get(2));
        return Scalars.times(q.batchMatMul(k.transpose(0, 2, 1)), scale).softmax(2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray y = inputs.get(1);
        NDArray v = value.forward(ps, new NDList(y), training).singletonOrThrow();
        return new NDList(x.add(weights(ps, x, y, training).batchMatMul(v)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        query.initialize(manager, dataType, inputShapes[0]);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        if (inputShapes[0].get(2) != dim) {
            throw new IllegalArgumentException("queries must have " + dim + " features, got " + inputShapes[0]);
        }
    }
}
