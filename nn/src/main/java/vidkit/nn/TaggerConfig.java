package vidkit.nn;

/**
 * A tagger (seed 002's architecture, from plain logistic regression up to the winning model):
 * each modality's frames pooled ({@link PoolingConfig}), concatenated, optionally a hidden layer
 * (FC → batch norm → ReLU6) and an input Context Gating, a classifier ({@link ClassifierConfig}),
 * and optionally Context Gating on the output.
 *
 * <p>Examples: video-level logistic = mean pooling + logistic; starter-code MoE = mean + moe;
 * "Context Gating + MoE" = moe with {@code outputGating}; the seed's frame-level model = NetVLAD +
 * hidden + input gating + moe + output gating.
 *
 * @param pooling per-modality pooling (default mean)
 * @param modalities which inputs to use: "both" (default), "visual" or "audio"
 * @param hidden width of the hidden layer; 0 = none (default 0)
 * @param inputGating Context Gating before the classifier (default false)
 * @param classifier logistic or moe (default moe with 2 mixtures)
 * @param outputGating Context Gating on the class probabilities (default false)
 * @param dropout dropout on the pooled vector and the hidden layer in training (default 0)
 * @param focalGamma 0 = sigmoid cross-entropy (default); above 0, the focal loss with that exponent
 */
public record TaggerConfig(PoolingConfig pooling, Modalities modalities, Integer hidden, Boolean inputGating,
        ClassifierConfig classifier, Boolean outputGating, Double dropout, Double focalGamma) {
    public TaggerConfig {
        pooling = pooling == null ? new PoolingConfig.Mean() : pooling;
        modalities = modalities == null ? Modalities.BOTH : modalities;
        hidden = hidden == null ? 0 : hidden;
        inputGating = inputGating == null ? Boolean.FALSE : inputGating;
        classifier = classifier == null ? new ClassifierConfig.Moe(null) : classifier;
        outputGating = outputGating == null ? Boolean.FALSE : outputGating;
        dropout = dropout == null ? 0.0 : dropout;
        focalGamma = focalGamma == null ? 0.0 : focalGamma;
        MatchingModelConfig.require(hidden >= 0, "model.hidden must be >= 0");
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
        MatchingModelConfig.require(focalGamma >= 0, "model.focalGamma must be >= 0");
    }

    public static TaggerConfig defaults() {
        return new TaggerConfig(null, null, null, null, null, null, null, null);
    }

    /** Builds an uninitialized tagger for these feature sizes and classes. */
    public Tagger build(int visualDim, int audioDim, int classes) {
        return new Tagger(this, visualDim, audioDim, classes);
    }

    /** A short name for run directories: pooling and classifier. */
    public String describe() {
        String p = pooling.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        String c = classifier instanceof ClassifierConfig.Moe m ? "moe" + m.mixtures() : "logistic";
        return p + "-" + c + (outputGating ? "-cg" : "");
    }

    /** Which modalities a tagger reads. */
    public enum Modalities {
        @com.fasterxml.jackson.annotation.JsonProperty("both")
        BOTH,
        @com.fasterxml.jackson.annotation.JsonProperty("visual")
        VISUAL,
        @com.fasterxml.jackson.annotation.JsonProperty("audio")
        AUDIO
    }
}
