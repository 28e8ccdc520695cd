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
 * Additive attention pooling over time: {@code a = softmax_t(wᵀ tanh(W h_t + b))}, output {@code
 * Σ_t a_t h_t}. Input {@code [batch, frames, dim]} and optionally a mask {@code [batch, frames]} (1
 * for real frames, 0 for padding: padded frames get zero weight, so padding never changes the
 * result); output {@code [batch, dim]}.
 */
public final class AttentionPooling extends AbstractBlock {
    private final Linear project;
    private final Linear score;

    public AttentionPooling(int attentionDim) {
        super((byte) 1);
        project = addChildBlock("project", Linear.builder().setUnits(attentionDim).build());
        score = addChildBlock("score", Linear.builder().setUnits(1).optBias(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.get(0);
        NDArray e = score.forward(ps, new NDList(project.forward(ps, new NDList(h), training).singletonOrThrow().tanh()),
                training).singletonOrThrow().squeeze(2); // [batch, frames]
        if (inputs.size() > 1) {
            NDArray mask = inputs.get(1);
            e = e.add(Scalars.times(mask.sub(1), 1e9f));
        }
        NDArray a = e.softmax(1).expandDims(2); // [batch, frames, 1]
        return new NDList(h.mul(a).sum(new int[] {1}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(2))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        project.initialize(manager, dataType, inputShapes[0]);
        Shape p = project.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        score.initialize(manager, dataType, p);
    }
}
