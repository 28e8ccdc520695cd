package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The two-tower model: each modality encoded alone into a unit vector, scored by a scaled cosine.
 *
 * @param hidden width of the per-frame encoder (default 256)
 * @param embedding size of the unit vector (default 128)
 * @param kernel temporal convolution kernel, odd (default 3)
 * @param convLayers stacked temporal convolutions per modality (default 2)
 * @param recurrentHidden when {@code > 0}, a bidirectional GRU of this width follows the
 *     convolutions (default 0 = none)
 * @param pooling how per-frame codes become one vector: attention, mean or flatten (default attention)
 * @param attentionDim width of the attention-pooling scorer (default 64)
 * @param dropout dropout rate on inputs and hidden layers in training (default 0.3)
 * @param activation hidden activation (default relu)
 * @param initialTemperature the InfoNCE temperature at start; it is learned (default 0.07)
 * @param classWeight weight of the auxiliary event-classification loss on each tower's embedding,
 *     used when the training data has labels (default 0.5; 0 = off)
 * @param clusters NetVLAD centres when {@code pooling} is netvlad (default 16)
 */
@JsonTypeName("twotower")
public record TwoTowerConfig(Integer hidden, Integer embedding, Integer kernel, Integer convLayers,
        Integer recurrentHidden, Pooling pooling, Integer attentionDim, Double dropout, Activation activation,
        Double initialTemperature, Double classWeight, Integer clusters) implements MatchingModelConfig {
    public TwoTowerConfig {
        hidden = hidden == null ? 256 : hidden;
        embedding = embedding == null ? 128 : embedding;
        kernel = kernel == null ? 3 : kernel;
        convLayers = convLayers == null ? 2 : convLayers;
        recurrentHidden = recurrentHidden == null ? 0 : recurrentHidden;
        pooling = pooling == null ? Pooling.ATTENTION : pooling;
        attentionDim = attentionDim == null ? 64 : attentionDim;
        dropout = dropout == null ? 0.3 : dropout;
        activation = activation == null ? Activation.RELU : activation;
        initialTemperature = initialTemperature == null ? 0.07 : initialTemperature;
        classWeight = classWeight == null ? 0.5 : classWeight;
        clusters = clusters == null ? 16 : clusters;
        MatchingModelConfig.require(clusters >= 1, "model.clusters must be >= 1");
        MatchingModelConfig.require(classWeight >= 0, "model.classWeight must be >= 0");
        MatchingModelConfig.require(hidden > 0 && embedding > 0 && attentionDim > 0, "model sizes must be positive");
        MatchingModelConfig.require(kernel > 0 && kernel % 2 == 1, "model.kernel must be odd, got " + kernel);
        MatchingModelConfig.require(convLayers >= 1, "model.convLayers must be >= 1");
        MatchingModelConfig.require(recurrentHidden >= 0, "model.recurrentHidden must be >= 0");
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
        MatchingModelConfig.require(initialTemperature > 0, "model.initialTemperature must be positive");
    }

    public static TwoTowerConfig defaults() {
        return new TwoTowerConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public MatchingModel build(int videoDim, int audioDim, int classes) {
        return new TwoTowerModel(this, classes);
    }
}
