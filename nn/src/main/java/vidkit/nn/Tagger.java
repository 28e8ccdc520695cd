package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A multi-label video tagger ({@link TaggerConfig}). Inputs: visual {@code [batch, frames,
 * visualDim]}, audio {@code [batch, frames, audioDim]}, mask {@code [batch, frames]} (1 = real
 * frame, real frames first); output: a logit per class {@code [batch, classes]} (for the MoE, the
 * logit of its mixture probability; see {@link MixtureOfExperts}). Loss: sigmoid cross-entropy
 * from the logits, summed over classes and averaged over the batch (the starter code's scale), or
 * the focal loss.
 */
public final class Tagger extends AbstractBlock {
    private static final float OUTPUT_EPS = 1e-7f;
    private final TaggerConfig config;
    private final int classes;
    private final TemporalPooling visualPool;
    private final TemporalPooling audioPool;
    private final Linear hidden;
    private final BatchNorm hiddenNorm;
    private final ContextGating inputGate;
    private final Linear logistic;
    private final MixtureOfExperts moe;
    private final ContextGating outputGate;
    private final int pooledDim;

    Tagger(TaggerConfig config, int visualDim, int audioDim, int classes) {
        super((byte) 1);
        this.config = config;
        this.classes = classes;
        boolean useVisual = config.modalities() != TaggerConfig.Modalities.AUDIO;
        boolean useAudio = config.modalities() != TaggerConfig.Modalities.VISUAL;
        visualPool = useVisual ? addChildBlock("visualPool", config.pooling().build(visualDim)) : null;
        audioPool = useAudio ? addChildBlock("audioPool", config.pooling().build(audioDim)) : null;
        pooledDim = (useVisual ? visualPool.outputDim() : 0) + (useAudio ? audioPool.outputDim() : 0);
        int width = pooledDim;
        if (config.hidden() > 0) {
            hidden = addChildBlock("hidden", Linear.builder().setUnits(config.hidden()).optBias(false).build());
            hiddenNorm = addChildBlock("hiddenNorm", BatchNorm.builder().build());
            width = config.hidden();
        } else {
            hidden = null;
            hiddenNorm = null;
        }
        inputGate = config.inputGating() ? addChildBlock("inputGate", new ContextGating(width, true)) : null;
        if (config.classifier() instanceof ClassifierConfig.Moe m) {
            moe = addChildBlock("moe", new MixtureOfExperts(classes, m.mixtures()));
            logistic = null;
        } else {
            logistic = addChildBlock("logistic", Linear.builder().setUnits(classes).build());
            moe = null;
        }
        outputGate = config.outputGating() ? addChildBlock("outputGate", new ContextGating(classes, true)) : null;
    }

    public int classes() {
        return classes;
    }

    /** The logits {@code [batch, classes]}. */
    public NDArray logits(ParameterStore ps, NDArray visual, NDArray audio, NDArray mask, boolean training) {
        NDList parts = new NDList();
        if (visualPool != null) {
            parts.add(visualPool.pool(ps, visual, mask, training));
        }
        if (audioPool != null) {
            parts.add(audioPool.pool(ps, audio, mask, training));
        }
        NDArray x = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
        x = Layers.dropout(x, config.dropout(), training);
        if (hidden != null) {
            x = hidden.forward(ps, new NDList(x), training).singletonOrThrow();
            x = hiddenNorm.forward(ps, new NDList(x), training).singletonOrThrow();
            x = x.clip(0f, 6f); // ReLU6
            x = Layers.dropout(x, config.dropout(), training);
        }
        if (inputGate != null) {
            x = inputGate.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray logits = moe != null ? moe.logits(ps, x, training)
                : logistic.forward(ps, new NDList(x), training).singletonOrThrow();
        if (outputGate != null) {
            // p' = p ⊙ sigmoid(BN(W p + b)); back to a logit with p' clipped away from 0 and 1
            NDArray p = ai.djl.nn.Activation.sigmoid(logits);
            NDArray gated = p.mul(outputGate.gateValues(ps, p, training)).clip(OUTPUT_EPS, 1 - OUTPUT_EPS);
            logits = gated.log().sub(gated.neg().add(1f).log());
        }
        return logits;
    }

    /**
     * The loss of logits {@code [batch, classes]} against 0/1 targets {@code [batch, classes]}:
     * {@code Σ_classes} of the per-class loss, averaged over the batch.
     */
    public NDArray loss(NDArray logits, NDArray targets) {
        long batch = logits.getShape().get(0);
        NDArray perClass;
        if (config.focalGamma() > 0) {
            return Scalars.times(Losses.focalFromLogits(logits, targets, config.focalGamma()), (float) classes);
        }
        NDArray s = Scalars.times(targets, 2f).sub(1f).mul(logits).neg(); // softplus(−(2y−1)z) = −log p_t
        perClass = Scalars.atLeast(s, 0f).add(s.abs().neg().exp().add(1f).log());
        return Scalars.over(perClass.sum(), (float) batch);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape mask = inputShapes[2];
        if (visualPool != null) {
            visualPool.initialize(manager, dataType, inputShapes[0], mask);
        }
        if (audioPool != null) {
            audioPool.initialize(manager, dataType, inputShapes[1], mask);
        }
        long b = inputShapes[0].get(0);
        Shape s = new Shape(b, pooledDim);
        if (hidden != null) {
            hidden.initialize(manager, dataType, s);
            s = new Shape(b, config.hidden());
            hiddenNorm.initialize(manager, dataType, s);
        }
        if (inputGate != null) {
            inputGate.initialize(manager, dataType, s);
        }
        if (moe != null) {
            moe.initialize(manager, dataType, s);
        } else {
            logistic.initialize(manager, dataType, s);
        }
        if (outputGate != null) {
            outputGate.initialize(manager, dataType, new Shape(b, classes));
        }
    }
}
