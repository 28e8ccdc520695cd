package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Seed 001's residual RNN → CNN cross model.
 *
 * @param hidden LSTM width of each modality's stream (default 64); the fused stream is 2·hidden
 * @param residualLayers residual blocks (dropout → LSTM, plus a skip connection) over the fused
 *     stream (default 1)
 * @param convChannels channels of each temporal convolution (default 64)
 * @param convKernel convolution kernel, odd (default 3)
 * @param convLayers conv → batch norm → ReLU → max-pool(2) stages (default 1)
 * @param fcHidden width of the hidden fully connected layer (default 64)
 * @param dropout dropout rate (default 0.5, PyTorch's default that the seed kept)
 * @param negativesPerPositive shuffled negatives per true pair (default 2)
 */
@JsonTypeName("rnncnn")
public record RnnCnnConfig(Integer hidden, Integer residualLayers, Integer convChannels, Integer convKernel,
        Integer convLayers, Integer fcHidden, Double dropout, Integer negativesPerPositive)
        implements MatchingModelConfig {
    public RnnCnnConfig {
        hidden = hidden == null ? 64 : hidden;
        residualLayers = residualLayers == null ? 1 : residualLayers;
        convChannels = convChannels == null ? 64 : convChannels;
        convKernel = convKernel == null ? 3 : convKernel;
        convLayers = convLayers == null ? 1 : convLayers;
        fcHidden = fcHidden == null ? 64 : fcHidden;
        dropout = dropout == null ? 0.5 : dropout;
        negativesPerPositive = negativesPerPositive == null ? 2 : negativesPerPositive;
        MatchingModelConfig.require(hidden > 0 && convChannels > 0 && fcHidden > 0, "model sizes must be positive");
        MatchingModelConfig.require(residualLayers >= 0 && convLayers >= 0, "model layer counts must be >= 0");
        MatchingModelConfig.require(convKernel > 0 && convKernel % 2 == 1, "model.convKernel must be odd, got " + convKernel);
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
        MatchingModelConfig.require(negativesPerPositive >= 1, "model.negativesPerPositive must be >= 1");
    }

    public static RnnCnnConfig defaults() {
        return new RnnCnnConfig(null, null, null, null, null, null, null, null);
    }

    @Override
    public MatchingModel build(int videoDim, int audioDim, int classes) {
        return new RnnCnnModel(this);
    }
}
