package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Regularized linear canonical correlation analysis on flattened clips — the reference
 * baseline, fitted in closed form (no epochs, optimizer, schedule or augmentation: those config
 * fields are ignored for this type). Keeps the clips' timing, which pooled encoders lose, so it is
 * also a useful ensemble member.
 *
 * @param dimensions canonical directions kept, the embedding size (default 64)
 * @param regularization ridge added to each covariance, as a fraction of its mean eigenvalue
 *     ({@code C + r · trace(C)/p · I}; default 10: on the course data's 5,120 × 1,280 flattened
 *     features and 2,199 training clips, 50-way top-1 rose from 0.25 at r = 0.1 to 0.35 at r = 10 and
 *     stayed there up to r = 30)
 * @param correlationPower each side's canonical coordinates are multiplied by {@code ρ^(power/2)}
 *     before the cosine, so directions that correlate better weigh more (default 1; 0 = plain
 *     cosine of whitened coordinates)
 */
@JsonTypeName("cca")
public record CcaConfig(Integer dimensions, Double regularization, Double correlationPower) implements MatchingModelConfig {
    public CcaConfig {
        dimensions = dimensions == null ? 64 : dimensions;
        regularization = regularization == null ? 10.0 : regularization;
        correlationPower = correlationPower == null ? 1.0 : correlationPower;
        MatchingModelConfig.require(dimensions >= 1, "model.dimensions must be >= 1, got " + dimensions);
        MatchingModelConfig.require(regularization > 0 && Double.isFinite(regularization),
                "model.regularization must be positive, got " + regularization);
        MatchingModelConfig.require(correlationPower >= 0 && Double.isFinite(correlationPower),
                "model.correlationPower must be >= 0, got " + correlationPower);
    }

    public static CcaConfig defaults() {
        return new CcaConfig(null, null, null);
    }

    @Override
    public MatchingModel build(int videoDim, int audioDim, int classes) {
        return new CcaModel(this);
    }
}
