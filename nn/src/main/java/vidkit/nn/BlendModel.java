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
 * Seed 004's blending stage: an MLP over the concatenated embeddings of several trained models,
 * {@code [B, Σ dims] → Linear H → ReLU → dropout → Linear E → L2}, giving the final unit embedding
 * {@code [B, E]}. One named block, {@code blend}.
 *
 * <p>Residual form ({@code members > 0}, every member {@code E}-dimensional): {@code e = L2(mean of
 * the k member embeddings + MLP(concat))} with the MLP's last layer starting at zero, so an untrained
 * blend is the plain ensemble (the average of the members' unit embeddings) and training learns a
 * correction to it.
 */
public final class BlendModel extends AbstractBlock {
    private final Blend blend;

    public BlendModel(int hidden, int embedding, double dropout) {
        this(hidden, embedding, dropout, 0);
    }

    /** With {@code members > 0}, the residual form over that many {@code embedding}-wide members. */
    public BlendModel(int hidden, int embedding, double dropout, int members) {
        super((byte) 1);
        blend = addChildBlock("blend", new Blend(hidden, embedding, dropout, members));
    }

    /** Unit embeddings {@code [B, E]} of concatenated member embeddings {@code [B, Σ dims]}. */
    public NDArray embed(ParameterStore ps, NDArray members, boolean training) {
        return blend.forward(ps, new NDList(members), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return blend.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return blend.getOutputShapes(inputs);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        blend.initialize(manager, dataType, inputShapes);
    }

    static final class Blend extends AbstractBlock {
        private final Linear hidden;
        private final Linear out;
        private final double dropout;
        private final int embedding;
        private final int width;
        private final int members;

        Blend(int hidden, int embedding, double dropout, int members) {
            super((byte) 1);
            this.members = members;
            this.hidden = addChildBlock("hidden", Linear.builder().setUnits(hidden).build());
            this.out = addChildBlock("out", Linear.builder().setUnits(embedding).build());
            this.dropout = dropout;
            this.embedding = embedding;
            this.width = hidden;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray h = hidden.forward(ps, inputs, training).singletonOrThrow();
            h = Layers.dropout(ai.djl.nn.Activation.relu(h), dropout, training);
            NDArray e = out.forward(ps, new NDList(h), training).singletonOrThrow();
            if (members > 0) {
                NDArray x = inputs.singletonOrThrow();
                e = e.add(x.reshape(x.getShape().get(0), members, embedding).mean(new int[] {1}));
            }
            return new NDList(NetVladPooling.l2Normalize(e, 1));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), embedding)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            if (members > 0 && inputShapes[0].get(1) != (long) members * embedding) {
                throw new IllegalArgumentException("a residual blend of " + members + " members takes " + members + " × "
                        + embedding + " inputs, got " + inputShapes[0].get(1));
            }
            hidden.initialize(manager, dataType, inputShapes[0]);
            out.initialize(manager, dataType, new Shape(inputShapes[0].get(0), width));
            if (members > 0) { // start as the plain ensemble
                for (var p : out.getParameters().values()) {
                    p.getArray().muli(0);
                }
            }
        }
    }
}
