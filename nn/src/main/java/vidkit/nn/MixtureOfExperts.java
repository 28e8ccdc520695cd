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
 * The YouTube-8M Mixture of Experts classifier, {@code [batch, inDim] → logits [batch, classes]}:
 * per class, a softmax gate over {@code mixtures + 1} experts, of which {@code mixtures} are
 * logistic ({@code sigmoid(z_m)}) and one is a dummy that always says 0, so {@code p = Σ_{m<M}
 * g_m·sigmoid(z_m)}.
 *
 * <p>It returns the logit {@code log p − log(1 − p)} rather than {@code p}, computed in log space so
 * it never saturates: {@code log p = logsumexp_m(log g_m + log sigmoid(z_m))} and {@code log(1 − p)
 * = logsumexp(log g_m + log sigmoid(−z_m) for m < M, log g_M)}. A sigmoid cross-entropy on this
 * logit is exactly the binary cross-entropy on {@code p}, and ranking by it is ranking by {@code p}.
 */
public final class MixtureOfExperts extends AbstractBlock {
    private final int classes;
    private final int mixtures;
    private final Linear gates;
    private final Linear experts;

    public MixtureOfExperts(int classes, int mixtures) {
        super((byte) 1);
        if (classes < 1 || mixtures < 1) {
            throw new IllegalArgumentException("classes and mixtures must be positive");
        }
        this.classes = classes;
        this.mixtures = mixtures;
        gates = addChildBlock("gates", Linear.builder().setUnits((long) classes * (mixtures + 1)).build());
        experts = addChildBlock("experts", Linear.builder().setUnits((long) classes * mixtures).build());
    }

    /** {@code log sigmoid(x) = −softplus(−x)}, as {@code min(x, 0) − log(1 + exp(−|x|))}. */
    static NDArray logSigmoid(NDArray x) {
        return Scalars.atMost(x, 0f).sub(x.abs().neg().exp().add(1f).log());
    }

    /** {@code logsumexp} over the last axis. */
    static NDArray logSumExp(NDArray x) {
        NDArray m = x.max(new int[] {-1}, true);
        return x.sub(m).exp().sum(new int[] {-1}).log().add(m.squeeze(-1));
    }

    /** The mixture probability {@code p [batch, classes]} (for tests and output gating). */
    NDArray probabilities(ParameterStore ps, NDArray x, boolean training) {
        return ai.djl.nn.Activation.sigmoid(logits(ps, x, training));
    }

    NDArray logits(ParameterStore ps, NDArray x, boolean training) {
        long b = x.getShape().get(0);
        NDArray g = gates.forward(ps, new NDList(x), training).singletonOrThrow().reshape(b, classes, mixtures + 1)
                .logSoftmax(-1);
        NDArray z = experts.forward(ps, new NDList(x), training).singletonOrThrow().reshape(b, classes, mixtures);
        NDArray gExperts = g.get(new NDIndex(":, :, :{}", mixtures));
        NDArray gDummy = g.get(new NDIndex(":, :, {}:", mixtures));
        NDArray logP = logSumExp(gExperts.add(logSigmoid(z)));
        NDArray logQ = logSumExp(NDArrays.concat(new NDList(gExperts.add(logSigmoid(z.neg())), gDummy), -1));
        return logP.sub(logQ);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        gates.initialize(manager, dataType, inputShapes[0]);
        experts.initialize(manager, dataType, inputShapes[0]);
    }
}
