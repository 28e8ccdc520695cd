package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of bidirectional recurrent layers built from one-direction cells, because DJL's own
 * bidirectional GRU/LSTM put PyTorch's weights in the wrong order (errors or NaN).
 *
 * <p>Layer l runs a forward cell over its input and a backward cell over the input flipped in time,
 * flips the backward output back and concatenates both along features — exactly PyTorch's
 * {@code bidirectional=True}, whose next layer also reads the concatenation. Input {@code [batch,
 * frames, inDim]}, output {@code [batch, frames, 2·hidden]} (or {@code [batch, frames, hidden]} when
 * not bidirectional). Dropout between layers, as in PyTorch, when training.
 */
public final class BidirectionalRecurrent extends AbstractBlock {
    private final int hidden;
    private final boolean bidirectional;
    private final float dropout;
    private final List<RecurrentBlock> forward = new ArrayList<>();
    private final List<RecurrentBlock> backward = new ArrayList<>();

    public BidirectionalRecurrent(RecurrentKind kind, int hidden, int layers, boolean bidirectional, float dropout) {
        super((byte) 1);
        if (layers < 1 || hidden < 1) {
            throw new IllegalArgumentException("need layers >= 1 and hidden >= 1");
        }
        this.hidden = hidden;
        this.bidirectional = bidirectional;
        this.dropout = dropout;
        for (int l = 0; l < layers; l++) {
            forward.add(addChildBlock("forward" + l, kind.newLayer(hidden)));
            if (bidirectional) {
                backward.add(addChildBlock("backward" + l, kind.newLayer(hidden)));
            }
        }
    }

    /** Output features per frame. */
    public int outputDim() {
        return bidirectional ? 2 * hidden : hidden;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (int l = 0; l < forward.size(); l++) {
            if (l > 0) {
                x = Layers.dropout(x, dropout, training);
            }
            NDArray f = forward.get(l).forward(ps, new NDList(x), training).singletonOrThrow();
            if (bidirectional) {
                NDArray b = backward.get(l).forward(ps, new NDList(x.flip(1)), training).singletonOrThrow().flip(1);
                x = NDArrays.concat(new NDList(f, b), 2);
            } else {
                x = f;
            }
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(1), outputDim())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long in = s.get(2);
        for (int l = 0; l < forward.size(); l++) {
            Shape layerIn = new Shape(new long[] {s.get(0), s.get(1), in},
                    new LayoutType[] {LayoutType.BATCH, LayoutType.TIME, LayoutType.CHANNEL});
            forward.get(l).initialize(manager, dataType, layerIn);
            if (bidirectional) {
                backward.get(l).initialize(manager, dataType, layerIn);
            }
            in = outputDim();
        }
    }
}
