package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Seed 000's "MLP with hard attention" cross model.
 *
 * @param hidden width of every per-frame stream (default 128)
 * @param kernel local-layer kernel, odd (default 3: offsets -1, 0, +1)
 * @param localLayers stacked local layers (default 2: receptive field 5)
 * @param recurrentHidden audio bidirectional GRU width per direction (default 64; 0 = no GRU stream)
 * @param recurrentLayers audio GRU layers (default 3, as in the seed)
 * @param chunk max-pool kernel over time before voting (default 5)
 * @param focalGamma focal-loss exponent (default 2)
 * @param negativesPerPositive shuffled negatives per true pair (default 2)
 * @param dropout dropout on inputs and hidden streams in training (default 0.2)
 * @param activation hidden activation (default scaled_tanh, 1.7159·tanh(2x/3))
 * @param bilinear add the per-step product term {@code uᵀ(v_t ⊙ a_t)} to the match logit (default
 *     true); {@code false} is the seed's purely additive fusion, which did not learn on the course
 *     data (50-way top-5 0.16 after 10 epochs, chance 0.10)
 */
@JsonTypeName("localmix")
public record LocalMixConfig(Integer hidden, Integer kernel, Integer localLayers, Integer recurrentHidden,
        Integer recurrentLayers, Integer chunk, Double focalGamma, Integer negativesPerPositive, Double dropout,
        Activation activation, Boolean bilinear) implements MatchingModelConfig {
    public LocalMixConfig {
        hidden = hidden == null ? 128 : hidden;
        kernel = kernel == null ? 3 : kernel;
        localLayers = localLayers == null ? 2 : localLayers;
        recurrentHidden = recurrentHidden == null ? 64 : recurrentHidden;
        recurrentLayers = recurrentLayers == null ? 3 : recurrentLayers;
        chunk = chunk == null ? 5 : chunk;
        focalGamma = focalGamma == null ? 2.0 : focalGamma;
        negativesPerPositive = negativesPerPositive == null ? 2 : negativesPerPositive;
        dropout = dropout == null ? 0.2 : dropout;
        activation = activation == null ? Activation.SCALED_TANH : activation;
        bilinear = bilinear == null ? Boolean.TRUE : bilinear;
        MatchingModelConfig.require(hidden > 0, "model.hidden must be positive");
        MatchingModelConfig.require(kernel > 0 && kernel % 2 == 1, "model.kernel must be odd, got " + kernel);
        MatchingModelConfig.require(localLayers >= 1, "model.localLayers must be >= 1");
        MatchingModelConfig.require(recurrentHidden >= 0 && recurrentLayers >= 1, "model.recurrent* out of range");
        MatchingModelConfig.require(chunk >= 1, "model.chunk must be >= 1");
        MatchingModelConfig.require(focalGamma >= 0, "model.focalGamma must be >= 0");
        MatchingModelConfig.require(negativesPerPositive >= 1, "model.negativesPerPositive must be >= 1");
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
    }

    public static LocalMixConfig defaults() {
        return new LocalMixConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public MatchingModel build(int videoDim, int audioDim, int classes) {
        return new LocalMixModel(this);
    }
}
