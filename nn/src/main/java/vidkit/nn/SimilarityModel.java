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
 *   encoder:  visual [B, Dv] ─ Linear H → ReLU → dropout ───┐
 *             audio  [B, Da] ─ Linear H/4 → ReLU → dropout ─┤
 *            [text   [B, Dt] ─ Linear H/4 → ReLU → dropout ─┤]  concat → Linear E → [Context Gating] → L2   e [B, E]
 *   tagHead:  Linear T on e                                                                            logits [B, T]
 * </pre>
 *
 * The text branch exists when the model is built with {@code textDim > 0} (a sentence vector of each
 * video's title; a video without a title gives zeros). Inside the encoder its parts are, from the
 * input up, {@code visualIn}/{@code audioIn}/{@code textIn} (depth 0),
 * {@code fusion} (1) and {@code gate} (2): the depths the layer-wise learning-rate decay uses.
 */
public final class SimilarityModel extends AbstractBlock {
    private final Encoder encoder;
    private final Linear tagHead;

    private final int textDim;

    SimilarityModel(SimilarityModelConfig config, int textDim, int tags) {
        super((byte) 1);
        if (tags < 1) {
            throw new IllegalArgumentException("the tag head needs at least one class, got " + tags);
        }
        this.textDim = textDim;
        encoder = addChildBlock("encoder", new Encoder(config, textDim > 0));
        tagHead = addChildBlock("tagHead", Linear.builder().setUnits(tags).build());
    }

    /**
     * Unit embeddings {@code [B, E]} of video-level {@code inputs}: {@code visual [B, Dv]}, {@code
     * audio [B, Da]} and, when the model has a text branch, {@code text [B, Dt]}.
     */
    public NDArray embed(ParameterStore ps, NDList inputs, boolean training) {
        if (inputs.size() != (textDim > 0 ? 3 : 2)) {
            throw new IllegalArgumentException("the model takes " + (textDim > 0 ? "visual, audio and text" : "visual and audio")
                    + " inputs, got " + inputs.size());
        }
        return encoder.forward(ps, inputs, training).singletonOrThrow();
    }

    /** Width of the text input (0: no text branch). */
    public int textDim() {
        return textDim;
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
        NDArray e = embed(ps, inputs, training);
        return new NDList(e, tags(ps, e, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape e = encoder.getOutputShapes(inputs)[0];
        return new Shape[] {e, tagHead.getOutputShapes(new Shape[] {e})[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        tagHead.initialize(manager, dataType, encoder.getOutputShapes(inputShapes)[0]);
    }

    /** The encoder block. */
    static final class Encoder extends AbstractBlock {
        private final SimilarityModelConfig config;
        private final Linear visualIn;
        private final Linear audioIn;
        private final Linear textIn;
        private final Linear fusion;
        private final ContextGating gate;

        Encoder(SimilarityModelConfig config, boolean text) {
            super((byte) 1);
            this.config = config;
            visualIn = addChildBlock("visualIn", Linear.builder().setUnits(config.hidden()).build());
            audioIn = addChildBlock("audioIn", Linear.builder().setUnits(branch()).build());
            textIn = text ? addChildBlock("textIn", Linear.builder().setUnits(branch()).build()) : null;
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
            NDList parts = new NDList(v, a);
            if (textIn != null) {
                NDArray t = textIn.forward(ps, new NDList(inputs.get(2)), training).singletonOrThrow();
                parts.add(Layers.dropout(ai.djl.nn.Activation.relu(t), config.dropout(), training));
            }
            NDArray e = fusion.forward(ps, new NDList(NDArrays.concat(parts, 1)), training).singletonOrThrow();
            if (gate != null) {
                e = gate.forward(ps, new NDList(e), training).singletonOrThrow();
            }
            return new NDList(NetVladPooling.l2Normalize(e, 1));
        }

        /** Width of the audio and text branches: a quarter of the visual one. */
        private int branch() {
            return Math.max(1, config.hidden() / 4);
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
            if (textIn != null) {
                textIn.initialize(manager, dataType, inputShapes[2]);
            }
            fusion.initialize(manager, dataType, new Shape(b, config.hidden() + (textIn != null ? 2 : 1) * branch()));
            if (gate != null) {
                gate.initialize(manager, dataType, new Shape(b, config.embedding()));
            }
        }
    }
}
