package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Context Gating (Miech, Laptev and Sivic 2017, seed 002): {@code y = x ⊙ sigmoid(BN(W x + b))},
 * {@code [batch, dim] → [batch, dim]}; the batch norm is optional.
 */
public final class ContextGating extends AbstractBlock {
    private final Linear gate;
    private final BatchNorm norm;
    private final int dim;

    public ContextGating(int dim, boolean batchNorm) {
        super((byte) 1);
        this.dim = dim;
        gate = addChildBlock("gate", Linear.builder().setUnits(dim).optBias(!batchNorm).build());
        norm = batchNorm ? addChildBlock("norm", BatchNorm.builder().build()) : null;
    }

    /** The gate {@code sigmoid(BN(W x + b))} alone. */
    NDArray gateValues(ParameterStore ps, NDArray x, boolean training) {
        NDArray g = gate.forward(ps, new NDList(x), training).singletonOrThrow();
        if (norm != null) {
            g = norm.forward(ps, new NDList(g), training).singletonOrThrow();
        }
        return ai.djl.nn.Activation.sigmoid(g);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(x.mul(gateValues(ps, x, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes[0].get(1) != dim) {
            throw new IllegalArgumentException("context gating of width " + dim + " got input " + inputShapes[0]);
        }
        gate.initialize(manager, dataType, inputShapes[0]);
        if (norm != null) {
            norm.initialize(manager, dataType, inputShapes[0]);
        }
    }
}
