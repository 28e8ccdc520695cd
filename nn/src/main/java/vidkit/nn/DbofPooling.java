package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Deep bag of frames (the YouTube-8M starter code's DBoF): each frame projected to {@code clusters}
 * units with ReLU6, then the maximum over the real frames: {@code [batch, clusters]}. Rule chosen:
 * no batch norm on the per-frame projection (its batch statistics would see the padding frames);
 * padding is excluded by zeroing it before the max, which is exact because ReLU6 outputs are ≥ 0.
 */
final class DbofPooling extends TemporalPooling {
    private final int clusters;
    private final Linear projection;

    DbofPooling(int clusters) {
        this.clusters = clusters;
        projection = addChildBlock("projection", Linear.builder().setUnits(clusters).build());
    }

    @Override
    public int outputDim() {
        return clusters;
    }

    @Override
    public NDArray pool(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDArray h = projection.forward(ps, new NDList(x), training).singletonOrThrow().clip(0f, 6f);
        return h.mul(mask.expandDims(-1)).max(new int[] {1});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, inputShapes[0]);
    }
}
