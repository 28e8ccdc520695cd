package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;

/**
 * Pools frames {@code [batch, frames, dim]} with a mask {@code [batch, frames]} (1 = real frame, 0 =
 * padding; every clip has at least one real frame) into {@code [batch, outputDim()]}. Padding frames
 * never change the result.
 */
public abstract class TemporalPooling extends AbstractBlock {
    protected TemporalPooling() {
        super((byte) 1);
    }

    public abstract int outputDim();

    public abstract NDArray pool(ParameterStore ps, NDArray frames, NDArray mask, boolean training);

    @Override
    protected ai.djl.ndarray.NDList forwardInternal(ParameterStore ps, ai.djl.ndarray.NDList inputs, boolean training,
            ai.djl.util.PairList<String, Object> params) {
        return new ai.djl.ndarray.NDList(pool(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputs) {
        return new ai.djl.ndarray.types.Shape[] {new ai.djl.ndarray.types.Shape(inputs[0].get(0), outputDim())};
    }

    /** The masked mean over frames: {@code Σ_t m_t x_t / Σ_t m_t}, {@code [batch, dim]}. */
    static NDArray maskedMean(NDArray x, NDArray mask) {
        NDArray m = mask.expandDims(-1);
        return x.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
    }
}
