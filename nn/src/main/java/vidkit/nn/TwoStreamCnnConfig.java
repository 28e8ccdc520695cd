package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Seed 001's baseline, the two-stream CNN (its section 2.1.1).
 *
 * @param channels filters of every 2-D convolution (default 16)
 * @param convKernel square convolution kernel, odd (default 3)
 * @param convLayers conv → batch norm → ReLU → max-pool(2×2) stages per stream (default 2)
 * @param embedding length of each stream's output vector (default 128)
 * @param fcHidden width of the hidden layer of the fully connected head (default 128)
 * @param dropout dropout rate on the embeddings and the head (default 0.3)
 * @param loss {@code bce} (default; the seed's choice) or {@code contrastive} (the course starter
 *     code's; the head is then unused and the score is minus the embeddings' distance)
 * @param margin the contrastive loss's margin (default 1.0)
 * @param negativesPerPositive shuffled negatives per true pair (default 2)
 */
@JsonTypeName("twostreamcnn")
public record TwoStreamCnnConfig(Integer channels, Integer convKernel, Integer convLayers, Integer embedding,
        Integer fcHidden, Double dropout, PairLoss loss, Double margin, Integer negativesPerPositive)
        implements MatchingModelConfig {
    public TwoStreamCnnConfig {
        channels = channels == null ? 16 : channels;
        convKernel = convKernel == null ? 3 : convKernel;
        convLayers = convLayers == null ? 2 : convLayers;
        embedding = embedding == null ? 128 : embedding;
        fcHidden = fcHidden == null ? 128 : fcHidden;
        dropout = dropout == null ? 0.3 : dropout;
        loss = loss == null ? PairLoss.BCE : loss;
        margin = margin == null ? 1.0 : margin;
        negativesPerPositive = negativesPerPositive == null ? 2 : negativesPerPositive;
        MatchingModelConfig.require(channels > 0 && embedding > 0 && fcHidden > 0, "model sizes must be positive");
        MatchingModelConfig.require(convKernel > 0 && convKernel % 2 == 1, "model.convKernel must be odd, got " + convKernel);
        MatchingModelConfig.require(convLayers >= 1, "model.convLayers must be >= 1");
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
        MatchingModelConfig.require(margin > 0, "model.margin must be positive");
        MatchingModelConfig.require(negativesPerPositive >= 1, "model.negativesPerPositive must be >= 1");
    }

    public static TwoStreamCnnConfig defaults() {
        return new TwoStreamCnnConfig(null, null, null, null, null, null, null, null, null);
    }

    @Override
    public MatchingModel build(int videoDim, int audioDim, int classes) {
        return new TwoStreamCnnModel(this);
    }
}
