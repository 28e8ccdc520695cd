package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** The masked mean of the frames (for video-level data, one frame: the features themselves). */
final class MeanPooling extends TemporalPooling {
    private final int dim;

    MeanPooling(int dim) {
        this.dim = dim;
    }

    @Override
    public int outputDim() {
        return dim;
    }

    @Override
    public NDArray pool(ParameterStore ps, NDArray frames, NDArray mask, boolean training) {
        return maskedMean(frames, mask);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
}
