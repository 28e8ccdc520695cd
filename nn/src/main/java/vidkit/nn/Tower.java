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
import java.util.ArrayList;
import java.util.List;

/**
 * One modality's encoder of the two-tower model: {@code [batch, frames, inDim]} → dropout →
 * (temporal conv → activation → dropout) × layers → optional bidirectional GRU → attention pooling
 * (or mean, or flattening in time order; see {@link Pooling}) → linear → L2 normalization → {@code [batch, embedding]} unit vectors.
 */
final class Tower extends AbstractBlock {
    private final TwoTowerConfig config;
    private final List<TemporalConv> convs = new ArrayList<>();
    private final BidirectionalRecurrent recurrent;
    private final AttentionPooling pooling;
    private final NetVladPooling vlad;
    private final Linear out;

    Tower(TwoTowerConfig config) {
        super((byte) 1);
        this.config = config;
        for (int i = 0; i < config.convLayers(); i++) {
            convs.add(addChildBlock("conv" + i, new TemporalConv(config.kernel(), config.hidden())));
        }
        recurrent = config.recurrentHidden() > 0
                ? addChildBlock("recurrent", new BidirectionalRecurrent(RecurrentKind.GRU, config.recurrentHidden(), 1, true, 0f))
                : null;
        pooling = config.pooling() == Pooling.ATTENTION
                ? addChildBlock("pooling", new AttentionPooling(config.attentionDim()))
                : null;
        vlad = config.pooling() == Pooling.NETVLAD ? addChildBlock("vlad", new NetVladPooling(
                config.recurrentHidden() > 0 ? 2 * config.recurrentHidden() : config.hidden(), config.clusters(), true, 0))
                : null;
        out = addChildBlock("out", Linear.builder().setUnits(config.embedding()).build());
    }

    private NDArray dropout(NDArray x, boolean training) {
        return Layers.dropout(x, config.dropout(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = dropout(inputs.singletonOrThrow(), training);
        for (TemporalConv conv : convs) {
            x = dropout(config.activation().apply(conv.forward(ps, new NDList(x), training).singletonOrThrow()), training);
        }
        if (recurrent != null) {
            x = recurrent.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray pooled = switch (config.pooling()) {
            case ATTENTION -> pooling.forward(ps, new NDList(x), training).singletonOrThrow();
            case MEAN -> x.mean(new int[] {1});
            case FLATTEN -> x.reshape(x.getShape().get(0), -1);
            case NETVLAD -> vlad.pool(ps, x, x.getManager().ones(new Shape(x.getShape().get(0), x.getShape().get(1))), training);
        };
        NDArray e = out.forward(ps, new NDList(pooled), training).singletonOrThrow();
        return new NDList(e.normalize(2, 1, 1e-8));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), config.embedding())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        for (TemporalConv conv : convs) {
            conv.initialize(manager, dataType, s);
            s = conv.getOutputShapes(new Shape[] {s})[0];
        }
        if (recurrent != null) {
            recurrent.initialize(manager, dataType, s);
            s = recurrent.getOutputShapes(new Shape[] {s})[0];
        }
        Shape pooled = switch (config.pooling()) {
            case ATTENTION -> {
                pooling.initialize(manager, dataType, s);
                yield pooling.getOutputShapes(new Shape[] {s})[0];
            }
            case MEAN -> new Shape(s.get(0), s.get(2));
            case FLATTEN -> new Shape(s.get(0), s.get(1) * s.get(2));
            case NETVLAD -> {
                vlad.initialize(manager, dataType, s, new Shape(s.get(0), s.get(1)));
                yield new Shape(s.get(0), vlad.outputDim());
            }
        };
        out.initialize(manager, dataType, pooled);
    }
}
