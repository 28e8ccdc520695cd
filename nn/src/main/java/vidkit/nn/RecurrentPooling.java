package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;

/**
 * A one-direction GRU or LSTM over the frames; the output at each clip's last real frame, {@code
 * [batch, hidden]}. Real frames come first (padding at the end), so a causal cell never sees the
 * padding before that step.
 */
final class RecurrentPooling extends TemporalPooling {
    private final int hidden;
    private final RecurrentBlock cell;

    RecurrentPooling(RecurrentKind kind, int hidden) {
        this.hidden = hidden;
        this.cell = addChildBlock("cell", kind.newLayer(hidden));
    }

    @Override
    public int outputDim() {
        return hidden;
    }

    @Override
    public NDArray pool(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDArray out = cell.forward(ps, new NDList(x), training).singletonOrThrow(); // [b, f, h]
        long frames = x.getShape().get(1);
        NDArray last = mask.sum(new int[] {1}).sub(1f).toType(DataType.INT64, false); // [b]
        NDArray pick = last.oneHot((int) frames, out.getDataType()); // [b, f]
        return out.mul(pick.expandDims(-1)).sum(new int[] {1});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        cell.initialize(manager, dataType, inputShapes[0]);
    }
}
