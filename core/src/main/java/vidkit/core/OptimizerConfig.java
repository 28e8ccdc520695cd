package vidkit.core;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Adam or AdamW.
 *
 * @param kind {@code adam} (weight decay added to the gradient, L2) or {@code adamw} (decoupled
 *     weight decay, Loshchilov &amp; Hutter); default adamw
 * @param learningRate default 1e-3
 * @param weightDecay default 1e-4
 * @param beta1 default 0.9
 * @param beta2 default 0.999
 * @param epsilon default 1e-8
 * @param clipNorm clip the global gradient L2 norm to this (default 5; 0 = off)
 */
public record OptimizerConfig(Kind kind, Double learningRate, Double weightDecay, Double beta1, Double beta2,
        Double epsilon, Double clipNorm) {
    public enum Kind {
        ADAM, ADAMW;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public OptimizerConfig {
        kind = kind == null ? Kind.ADAMW : kind;
        learningRate = learningRate == null ? 1e-3 : learningRate;
        weightDecay = weightDecay == null ? 1e-4 : weightDecay;
        beta1 = beta1 == null ? 0.9 : beta1;
        beta2 = beta2 == null ? 0.999 : beta2;
        epsilon = epsilon == null ? 1e-8 : epsilon;
        clipNorm = clipNorm == null ? 5.0 : clipNorm;
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("optimizer.learningRate must be positive, got " + learningRate);
        }
        if (weightDecay < 0 || clipNorm < 0) {
            throw new IllegalArgumentException("optimizer.weightDecay and optimizer.clipNorm must be >= 0");
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0)) {
            throw new IllegalArgumentException("optimizer betas must be in [0, 1) and epsilon positive");
        }
    }

    public static OptimizerConfig defaults() {
        return new OptimizerConfig(null, null, null, null, null, null, null);
    }
}
