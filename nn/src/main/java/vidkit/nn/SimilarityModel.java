package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Seed 004's video embedding at video level. Two named blocks, so that a later stage can take the
 * encoder of an earlier run ({@code "init": {"block": "encoder"}}):
 *
 * <pre>
 *   encoder:  visual [B, Dv] ─ Linear H → ReLU → dropout ─┐
 *             audio  [B, Da] ─ Linear H/4 → ReLU → dropout ─┴ concat → Linear E → [Context Gating] → L2   e [B, E]
 *   tagHead:  Linear T on e                                                                            logits [B, T]
 * </pre>
 *
 * Inside the encoder its parts are, from the input up, {@code visualIn}/{@code audioIn} (depth 0),
 * {@code fusion} (1) and {@code gate} (2): the depths the layer-wise learning-rate decay uses.
 */
public final class SimilarityModel extends AbstractBlock {
    private final Encoder encoder;
    private final Linear tagHead;

    SimilarityModel(SimilarityModelConfig config, int visualDim, int audioDim, int tags) {
        super((byte) 1);
        if (tags < 1) {
            throw new IllegalArgumentException("the tag head needs at least one class, got " + tags);
        }
        encoder = addChildBlock("encoder", new Encoder(config, visualDim, audioDim));
        tagHead = addChildBlock("tagHead", Linear.builder().setUnits(tags).build());
    }

    /** Unit embeddings {@code [B, E]} of video-level {@code visual [B, Dv]} and {@code audio [B, Da]}. */
    public NDArray embed(ParameterStore ps, NDArray visual, NDArray audio, boolean training) {
        return encoder.forward(ps, new NDList(visual, audio), training).singletonOrThrow();
    }

    /** Tag logits {@code [B, T]} of embeddings {@code [B, E]}. */
    public NDArray tags(ParameterStore ps, NDArray embedding, boolean training) {
        return tagHead.forward(ps, new NDList(embedding), training).singletonOrThrow();
    }

    /** The depth of a parameter (its path inside the model) for layer-wise learning rates: 0 at the input, 3 for the head. */
    public static int depth(String parameterPath) {
        if (parameterPath.contains("tagHead")) {
            return 3;
        }
        if (parameterPath.contains("gate")) {
            return 2;
        }
        if (parameterPath.contains("fusion")) {
            return 1;
        }
        return 0;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray e = embed(ps, inputs.get(0), inputs.get(1), training);
        return new NDList(e, tags(ps, e, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape e = encoder.getOutputShapes(inputs)[0];
        return new Shape[] {e, tagHead.getOutputShapes(new Shape[] {e})[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
        tagHead.initialize(manager, dataType, encoder.getOutputShapes(new Shape[] {inputShapes[0], inputShapes[1]})[0]);
    }

    /** The encoder block. */
    static final class Encoder extends AbstractBlock {
        private final SimilarityModelConfig config;
        private final Linear visualIn;
        private final Linear audioIn;
        private final Linear fusion;
        private final ContextGating gate;

        Encoder(SimilarityModelConfig config, int visualDim, int audioDim) {
            super((byte) 1);
            this.config = config;
            visualIn = addChildBlock("visualIn", Linear.builder().setUnits(config.hidden()).build());
            audioIn = addChildBlock("audioIn", Linear.builder().setUnits(Math.max(1, config.hidden() / 4)).build());
            fusion = addChildBlock("fusion", Linear.builder().setUnits(config.embedding()).build());
            gate = config.gating() ? addChildBlock("gate", new ContextGating(config.embedding(), true)) : null;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray v = visualIn.forward(ps, new NDList(inputs.get(0)), training).singletonOrThrow();
            NDArray a = audioIn.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow();
            v = Layers.dropout(ai.djl.nn.Activation.relu(v), config.dropout(), training);
            a = Layers.dropout(ai.djl.nn.Activation.relu(a), config.dropout(), training);
            NDArray e = fusion.forward(ps, new NDList(NDArrays.concat(new NDList(v, a), 1)), training).singletonOrThrow();
            if (gate != null) {
                e = gate.forward(ps, new NDList(e), training).singletonOrThrow();
            }
            return new NDList(NetVladPooling.l2Normalize(e, 1));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), config.embedding())};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            long b = inputShapes[0].get(0);
            visualIn.initialize(manager, dataType, inputShapes[0]);
            audioIn.initialize(manager, dataType, inputShapes[1]);
            fusion.initialize(manager, dataType, new Shape(b, config.hidden() + Math.max(1, config.hidden() / 4)));
            if (gate != null) {
                gate.initialize(manager, dataType, new Shape(b, config.embedding()));
            }
        }
    }
}
