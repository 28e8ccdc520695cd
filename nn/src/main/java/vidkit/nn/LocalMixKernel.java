package vidkit.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The all-pairs fusion of {@link LocalMixModel} for tanh-type activations, in plain Java with the
 * Vector API: per pair and time step {@code logit_t = Σ_h w_h·tanh(v'_th + a'_th) + b + Σ_h
 * u_th·a_th}, where the caller has folded the activation's scales and the product weights into the
 * per-item codes ({@code v' = s·v}, {@code a' = s·a}, {@code u = v ⊙ u/√H}); then {@code
 * sigmoid}, chunk max-pool and the mean of the chunk maxima. It does the same arithmetic as the
 * tensor form without materializing the {@code [n, m, frames, hidden]} tensor, parallel over videos.
 *
 * <p>tanh is a rational approximation (the minimax [13/6] form used by Eigen, clamped to ±7.9,
 * where float tanh is already ±1 to rounding): maximum absolute error below 1e-6 on all floats,
 * tested against {@link Math#tanh}. Scores therefore agree with the tensor form to about 1e-6.
 */
final class LocalMixKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final float CLAMP = 7.90531110763549805f;
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;
    /** Audios per block: a block's codes stay in the core's cache while every video of a task passes. */
    private static final int AUDIO_BLOCK = 64;

    private LocalMixKernel() {}

    /** The rational tanh of one float (the scalar twin of the vector form, used for tails and tests). */
    static float tanh(float x) {
        float c = Math.max(-CLAMP, Math.min(CLAMP, x));
        float x2 = c * c;
        float p = A13;
        p = p * x2 + A11;
        p = p * x2 + A9;
        p = p * x2 + A7;
        p = p * x2 + A5;
        p = p * x2 + A3;
        p = p * x2 + A1;
        float q = B6;
        q = q * x2 + B4;
        q = q * x2 + B2;
        q = q * x2 + B0;
        return c * p / q;
    }

    private static FloatVector tanh(FloatVector x) {
        FloatVector c = x.max(-CLAMP).min(CLAMP);
        FloatVector x2 = c.mul(c);
        FloatVector p = x2.fma(A13, A11).fma(x2, FloatVector.broadcast(SPECIES, A9));
        p = p.fma(x2, FloatVector.broadcast(SPECIES, A7)).fma(x2, FloatVector.broadcast(SPECIES, A5));
        p = p.fma(x2, FloatVector.broadcast(SPECIES, A3)).fma(x2, FloatVector.broadcast(SPECIES, A1));
        FloatVector q = x2.fma(B6, B4).fma(x2, FloatVector.broadcast(SPECIES, B2))
                .fma(x2, FloatVector.broadcast(SPECIES, B0));
        return c.mul(p).div(q);
    }

    /**
     * Scores of all pairs, row-major {@code [n, m]}.
     *
     * @param videoScaled {@code s·v}, {@code [n, frames, hidden]} row-major
     * @param videoProduct {@code v ⊙ u/√H}, same shape, or {@code null} without the product term
     * @param audioScaled {@code s·a}, {@code [m, frames, hidden]}
     * @param audio {@code a} (unscaled, for the product term), same shape, or {@code null}
     * @param headWeight {@code w} {@code [hidden]} with the activation's outer scale folded in
     * @param headBias {@code b}
     * @param chunk max-pool kernel over time
     * @param threads worker threads (≥ 1)
     */
    static float[] scores(float[] videoScaled, float[] videoProduct, float[] audioScaled, float[] audio,
            int n, int m, int frames, int hidden, float[] headWeight, float headBias, int chunk, int threads) {
        float[] out = new float[n * m];
        int blocks = (m + AUDIO_BLOCK - 1) / AUDIO_BLOCK;
        Runnable all = () -> IntStream.range(0, blocks).parallel().forEach(block -> {
            int j0 = block * AUDIO_BLOCK;
            int j1 = Math.min(m, j0 + AUDIO_BLOCK);
            float[] logits = new float[frames];
            for (int i = 0; i < n; i++) {
                for (int j = j0; j < j1; j++) {
                    for (int t = 0; t < frames; t++) {
                        logits[t] = stepLogit(videoScaled, videoProduct, audioScaled, audio, (i * frames + t) * hidden,
                                (j * frames + t) * hidden, hidden, headWeight) + headBias;
                    }
                    out[i * m + j] = vote(logits, chunk);
                }
            }
        });
        // a parallel stream started inside a pool runs on that pool's workers
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(all).join();
        } finally {
            pool.shutdown();
        }
        return out;
    }

    private static float stepLogit(float[] vs, float[] vu, float[] as, float[] a, int vOff, int aOff, int hidden,
            float[] w) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int len = SPECIES.length();
        int h = 0;
        int bound = SPECIES.loopBound(hidden);
        if (vu != null) {
            for (; h < bound; h += len) {
                FloatVector x = FloatVector.fromArray(SPECIES, vs, vOff + h).add(FloatVector.fromArray(SPECIES, as, aOff + h));
                acc = tanh(x).fma(FloatVector.fromArray(SPECIES, w, h), acc);
                acc = FloatVector.fromArray(SPECIES, vu, vOff + h).fma(FloatVector.fromArray(SPECIES, a, aOff + h), acc);
            }
        } else {
            for (; h < bound; h += len) {
                FloatVector x = FloatVector.fromArray(SPECIES, vs, vOff + h).add(FloatVector.fromArray(SPECIES, as, aOff + h));
                acc = tanh(x).fma(FloatVector.fromArray(SPECIES, w, h), acc);
            }
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; h < hidden; h++) {
            sum += w[h] * tanh(vs[vOff + h] + as[aOff + h]);
            if (vu != null) {
                sum += vu[vOff + h] * a[aOff + h];
            }
        }
        return sum;
    }

    /** sigmoid per step, max over chunks of {@code chunk} steps (the last may be shorter), mean of maxima. */
    private static float vote(float[] logits, int chunk) {
        double total = 0;
        int chunks = 0;
        for (int s = 0; s < logits.length; s += chunk) {
            float max = Float.NEGATIVE_INFINITY;
            for (int t = s; t < Math.min(logits.length, s + chunk); t++) {
                max = Math.max(max, logits[t]);
            }
            total += 1 / (1 + Math.exp(-max)); // sigmoid is monotone: max of sigmoids = sigmoid of max
            chunks++;
        }
        return (float) (total / chunks);
    }
}
