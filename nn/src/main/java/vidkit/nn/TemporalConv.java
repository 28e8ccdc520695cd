package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The seeds' "local layer": output at time t is the sum of separately weighted fully connected maps
 * of the frames at offsets {@code -k/2 .. +k/2}, i.e. a temporal convolution of odd kernel {@code k}
 * with zero padding at both ends (frames outside the clip count as zero vectors).
 *
 * <p>Input {@code [batch, frames, inDim]}, output {@code [batch, frames, units]}. Implemented as one
 * {@link Linear} over the concatenation of the shifted frames {@code [x(t-k/2), ..., x(t+k/2)]}.
 */
public final class TemporalConv extends AbstractBlock {
    private final int kernel;
    private final int units;
    private final Linear linear;

    public TemporalConv(int kernel, int units) {
        super((byte) 1);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd and positive, got " + kernel);
        }
        this.kernel = kernel;
        this.units = units;
        this.linear = addChildBlock("linear", Linear.builder().setUnits(units).build());
    }

    /** {@code [batch, frames, k·dim]}: each frame's neighbourhood, zero-padded at the ends. */
    static NDArray neighbourhoods(NDArray x, int kernel) {
        if (kernel == 1) {
            return x;
        }
        int half = kernel / 2;
        long frames = x.getShape().get(1);
        Shape padShape = new Shape(x.getShape().get(0), half, x.getShape().get(2));
        NDArray zeros = x.getManager().zeros(padShape, x.getDataType());
        NDArray padded = NDArrays.concat(new NDList(zeros, x, zeros), 1);
        NDList shifted = new NDList(kernel);
        for (int o = 0; o < kernel; o++) {
            shifted.add(padded.get(new NDIndex(":, {}:{}, :", o, o + frames)));
        }
        return NDArrays.concat(shifted, 2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return linear.forward(ps, new NDList(neighbourhoods(x, kernel)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), units)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        linear.initialize(manager, dataType, new Shape(s.get(0), s.get(1), s.get(2) * kernel));
    }
}
