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
 * At frame level ({@code model.pooling} set) each modality's frames {@code [B, T, D]} are first
 * pooled with the mask {@code [B, T]} ({@code visualPool}, {@code audioPool}: NetVLAD, NeXtVLAD, …,
 * padding ignored) and the pooled vectors go where the video-level features go.
 * The text branch exists when the model is built with {@code textDim > 0} (a sentence vector of each
 * video's title; a video without a title gives zeros). Inside the encoder its parts are, from the
 * input up, {@code visualIn}/{@code audioIn}/{@code textIn} (depth 0),
 * {@code fusion} (1) and {@code gate} (2): the depths the layer-wise learning-rate decay uses.
 */
public final class SimilarityModel extends AbstractBlock {
    private final Encoder encoder;
    private final Linear tagHead;

    private final int textDim;

    SimilarityModel(SimilarityModelConfig config, int visualDim, int audioDim, int textDim, int tags) {
        super((byte) 1);
        if (tags < 1) {
            throw new IllegalArgumentException("the tag head needs at least one class, got " + tags);
        }
        this.textDim = textDim;
        encoder = addChildBlock("encoder", new Encoder(config, visualDim, audioDim, textDim > 0));
        tagHead = addChildBlock("tagHead", Linear.builder().setUnits(tags).build());
    }

    /**
     * Unit embeddings {@code [B, E]} of {@code inputs}: {@code visual [B, Dv]} and {@code audio [B,
     * Da]} at video level, or {@code visual [B, T, Dv]}, {@code audio [B, T, Da]} and {@code mask [B,
     * T]} at frame level; then, when the model has a text branch, {@code text [B, Dt]}.
     */
    public NDArray embed(ParameterStore ps, NDList inputs, boolean training) {
        int expected = 2 + (encoder.frameLevel() ? 1 : 0) + (textDim > 0 ? 1 : 0);
        if (inputs.size() != expected) {
            throw new IllegalArgumentException("the model takes " + expected + " inputs (visual, audio"
                    + (encoder.frameLevel() ? ", mask" : "") + (textDim > 0 ? ", text" : "") + "), got " + inputs.size());
        }
        return encoder.forward(ps, inputs, training).singletonOrThrow();
    }

    /** Whether the model pools frames (its inputs are {@code [B, T, D]} with a mask). */
    public boolean frameLevel() {
        return encoder.frameLevel();
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
        private final TemporalPooling visualPool;
        private final TemporalPooling audioPool;

        Encoder(SimilarityModelConfig config, int visualDim, int audioDim, boolean text) {
            super((byte) 1);
            this.config = config;
            visualPool = config.pooling() == null ? null : addChildBlock("visualPool", config.pooling().build(visualDim));
            audioPool = config.pooling() == null ? null : addChildBlock("audioPool", config.pooling().build(audioDim));
            visualIn = addChildBlock("visualIn", Linear.builder().setUnits(config.hidden()).build());
            audioIn = addChildBlock("audioIn", Linear.builder().setUnits(branch()).build());
            textIn = text ? addChildBlock("textIn", Linear.builder().setUnits(branch()).build()) : null;
            fusion = addChildBlock("fusion", Linear.builder().setUnits(config.embedding()).build());
            gate = config.gating() ? addChildBlock("gate", new ContextGating(config.embedding(), true)) : null;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray visual = inputs.get(0);
            NDArray audio = inputs.get(1);
            int next = 2;
            if (visualPool != null) {
                NDArray mask = inputs.get(next++);
                visual = visualPool.pool(ps, visual, mask, training);
                audio = audioPool.pool(ps, audio, mask, training);
            }
            NDArray v = visualIn.forward(ps, new NDList(visual), training).singletonOrThrow();
            NDArray a = audioIn.forward(ps, new NDList(audio), training).singletonOrThrow();
            v = Layers.dropout(ai.djl.nn.Activation.relu(v), config.dropout(), training);
            a = Layers.dropout(ai.djl.nn.Activation.relu(a), config.dropout(), training);
            NDList parts = new NDList(v, a);
            if (textIn != null) {
                NDArray t = textIn.forward(ps, new NDList(inputs.get(next)), training).singletonOrThrow();
                parts.add(Layers.dropout(ai.djl.nn.Activation.relu(t), config.dropout(), training));
            }
            NDArray e = fusion.forward(ps, new NDList(NDArrays.concat(parts, 1)), training).singletonOrThrow();
            if (gate != null) {
                e = gate.forward(ps, new NDList(e), training).singletonOrThrow();
            }
            return new NDList(NetVladPooling.l2Normalize(e, 1));
        }

        boolean frameLevel() {
            return visualPool != null;
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
            Shape visual = inputShapes[0];
            Shape audio = inputShapes[1];
            int next = 2;
            if (visualPool != null) {
                Shape mask = inputShapes[next++];
                visualPool.initialize(manager, dataType, visual, mask);
                audioPool.initialize(manager, dataType, audio, mask);
                visual = new Shape(b, visualPool.outputDim());
                audio = new Shape(b, audioPool.outputDim());
            }
            visualIn.initialize(manager, dataType, visual);
            audioIn.initialize(manager, dataType, audio);
            if (textIn != null) {
                textIn.initialize(manager, dataType, inputShapes[next]);
            }
            fusion.initialize(manager, dataType, new Shape(b, config.hidden() + (textIn != null ? 2 : 1) * branch()));
            if (gate != null) {
                gate.initialize(manager, dataType, new Shape(b, config.embedding()));
            }
        }
    }
}
