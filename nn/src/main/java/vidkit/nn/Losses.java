package vidkit.nn;

import ai.djl.ndarray.NDArray;

/** Loss functions on probabilities and logits. */
public final class Losses {
    /** Probabilities are clipped to {@code [EPS, 1 - EPS]} before the log. */
    public static final float EPS = 1e-6f;

    private Losses() {}

    /**
     * Focal loss (Lin et al. 2017) on probabilities: {@code mean(-(1 - p_t)^γ · log p_t)}, where
     * {@code p_t = p} for positives ({@code y = 1}) and {@code 1 - p} for negatives. With γ = 0 it is
     * the binary cross-entropy.
     *
     * @param p probabilities, any shape
     * @param y targets in {0, 1}, same shape
     */
    public static NDArray focal(NDArray p, NDArray y, double gamma) {
        NDArray pc = p.clip(EPS, 1 - EPS);
        NDArray pt = y.mul(pc).add(y.neg().add(1).mul(pc.neg().add(1)));
        NDArray weight = gamma == 0 ? pt.onesLike() : Scalars.power(pt.neg().add(1), (float) gamma);
        return weight.mul(pt.log()).neg().mean();
    }

    /**
     * The focal loss of {@link #focal} computed from logits {@code z} ({@code p = sigmoid(z)}) without
     * clipping: with {@code s = (2y − 1)·z}, {@code p_t = sigmoid(s)} and {@code −log p_t =
     * softplus(−s)}, evaluated as {@code max(x, 0) + log(1 + exp(−|x|))} so it neither overflows nor
     * loses its gradient when the model is confidently wrong (clipped probabilities would).
     */
    public static NDArray focalFromLogits(NDArray z, NDArray y, double gamma) {
        NDArray s = Scalars.times(y, 2f).sub(1f).mul(z);
        NDArray x = s.neg();
        NDArray negLogPt = Scalars.atLeast(x, 0f).add(x.abs().neg().exp().add(1f).log());
        if (gamma == 0) {
            return negLogPt.mean();
        }
        NDArray weight = Scalars.power(ai.djl.nn.Activation.sigmoid(s).neg().add(1f), (float) gamma);
        return weight.mul(negLogPt).mean();
    }

    /**
     * Binary cross-entropy of logits {@code z} against soft targets {@code q ∈ [0, 1]} (a teacher's
     * probabilities), {@code mean(q·softplus(−z) + (1 − q)·softplus(z))}, with {@code softplus(x) =
     * max(x, 0) + log(1 + exp(−|x|))} so it is stable for large |z|. Its gradient in {@code z} is
     * {@code (sigmoid(z) − q) / n}: zero exactly when the student matches the teacher.
     */
    public static NDArray softBinaryCrossEntropy(NDArray z, NDArray q) {
        NDArray plus = Scalars.atLeast(z, 0f).add(z.abs().neg().exp().add(1f).log()); // softplus(z)
        NDArray minus = plus.sub(z); // softplus(−z) = softplus(z) − z
        return q.mul(minus).add(q.neg().add(1f).mul(plus)).mean();
    }

    /** Mean softmax cross-entropy of {@code logits [batch, classes]} against int labels {@code [batch]}. */
    public static NDArray softmaxCrossEntropy(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray oneHot = labels.oneHot((int) classes, logits.getDataType());
        return Scalars.over(logits.logSoftmax(1).mul(oneHot).sum(), -logits.getShape().get(0));
    }

    /**
     * Mean softmax cross-entropy against labels smoothed by {@code smoothing} ε: the target puts
     * {@code 1 - ε + ε/C} on the label and {@code ε/C} on every other class (Szegedy et al. 2016).
     */
    public static NDArray softmaxCrossEntropy(NDArray logits, NDArray labels, double smoothing) {
        if (smoothing == 0) {
            return softmaxCrossEntropy(logits, labels);
        }
        long classes = logits.getShape().get(1);
        NDArray target = Scalars.times(labels.oneHot((int) classes, logits.getDataType()), (float) (1 - smoothing))
                .add((float) (smoothing / classes));
        return Scalars.over(logits.logSoftmax(1).mul(target).sum(), -logits.getShape().get(0));
    }

    /** Mean squared error over all elements of {@code prediction} and {@code target} (same shape). */
    public static NDArray meanSquaredError(NDArray prediction, NDArray target) {
        return prediction.sub(target).square().mean();
    }
}
