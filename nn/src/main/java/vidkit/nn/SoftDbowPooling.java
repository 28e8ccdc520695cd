package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Soft bag of visual words (seed 002's Soft-DBoW): each real frame's soft assignment to {@code
 * clusters} words, {@code softmax(W x_t + b)}, summed over the frames and L2-normalized: {@code
 * [batch, clusters]}.
 */
final class SoftDbowPooling extends TemporalPooling {
    private final int clusters;
    private final Linear assignment;

    SoftDbowPooling(int clusters) {
        this.clusters = clusters;
        assignment = addChildBlock("assignment", Linear.builder().setUnits(clusters).build());
    }

    @Override
    public int outputDim() {
        return clusters;
    }

    @Override
    public NDArray pool(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDArray a = assignment.forward(ps, new NDList(x), training).singletonOrThrow().softmax(-1).mul(mask.expandDims(-1));
        return NetVladPooling.l2Normalize(a.sum(new int[] {1}), 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        assignment.initialize(manager, dataType, inputShapes[0]);
    }
}
