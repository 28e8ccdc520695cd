package vidkit.nn;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a scalar that is safe inside a gradient computation — use these, not {@code
 * NDArray.mul(Number)} and its kin, on any array a gradient flows through.
 *
 * <p>Why: DJL 0.35's PyTorch engine implements {@code x.mul(2f)} (and {@code div}, {@code
 * maximum}, {@code minimum}, {@code pow} with a number) by making a one-element tensor on a Java
 * direct buffer, applying the tensor op, and closing the scalar at once. The op's backward node has
 * saved that scalar tensor, whose memory is now owned by an unreachable buffer: once the garbage
 * collector frees it, backward reads whatever lies there, and gradients turn to garbage or NaN —
 * at a step that depends on when the JVM collects. This was the cause of the training runs that
 * blew up at random steps (the localizer's flaky contract test). Here the scalar is made in {@code
 * x}'s manager and left open: it lives (attached to that manager and to the open {@code NDScope})
 * until the batch is done, after backward. Ops whose backward does not read the scalar ({@code add},
 * {@code sub} with a number) are safe as DJL has them.
 */
public final class Scalars {
    private Scalars() {}

    private static NDArray scalar(NDArray x, double value) {
        return x.getManager().create((float) value).toType(x.getDataType(), false);
    }

    /** {@code x · s}. */
    public static NDArray times(NDArray x, double s) {
        return x.mul(scalar(x, s));
    }

    /** {@code x / s}. */
    public static NDArray over(NDArray x, double s) {
        return x.div(scalar(x, s));
    }

    /** {@code max(x, s)} elementwise. */
    public static NDArray atLeast(NDArray x, double s) {
        return x.maximum(scalar(x, s));
    }

    /** {@code min(x, s)} elementwise. */
    public static NDArray atMost(NDArray x, double s) {
        return x.minimum(scalar(x, s));
    }

    /** {@code x ^ p} elementwise. */
    public static NDArray power(NDArray x, double p) {
        return x.pow(scalar(x, p));
    }
}
