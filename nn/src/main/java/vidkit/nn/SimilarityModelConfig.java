package vidkit.nn;

/**
 * The video-similarity model ({@link SimilarityModel}): a video-level encoder into a unit embedding
 * and a tag head for pre-training. Defaults live here.
 *
 * @param hidden width of the visual branch (default 1024; the audio branch gets a quarter)
 * @param embedding width of the unit embedding (default 256)
 * @param dropout on the branches in training (default 0.3)
 * @param gating Context Gating on the fused embedding before normalization (default true)
 * @param pooling at frame level, how each modality's frames are pooled ({@link PoolingConfig}: {@code
 *     {"type": "netvlad", "clusters": 16}}, {@code nextvlad}, …); absent at video level
 */
public record SimilarityModelConfig(Integer hidden, Integer embedding, Double dropout, Boolean gating,
        PoolingConfig pooling) {
    public SimilarityModelConfig {
        hidden = hidden == null ? 1024 : hidden;
        embedding = embedding == null ? 256 : embedding;
        dropout = dropout == null ? 0.3 : dropout;
        gating = gating == null ? Boolean.TRUE : gating;
        MatchingModelConfig.require(hidden >= 4, "model.hidden must be >= 4");
        MatchingModelConfig.require(embedding >= 2, "model.embedding must be >= 2");
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
    }

    public static SimilarityModelConfig defaults() {
        return new SimilarityModelConfig(null, null, null, null, null);
    }

    /**
     * An uninitialized model for these feature sizes and {@code tags} pre-training classes; {@code
     * textDim > 0} adds the text branch for title vectors of that width.
     */
    public SimilarityModel build(int visualDim, int audioDim, int textDim, int tags) {
        return new SimilarityModel(this, visualDim, audioDim, textDim, tags);
    }
}
