package vidkit.similarity;

/**
 * What a similarity checkpoint needs besides parameters: the feature sizes, the pre-training tag
 * classes (YouTube-8M class indices, most frequent first) and, for a blend, the width of the
 * members' concatenated embeddings (0 otherwise), and the width of the title vectors of the text
 * stream (0: no text stream), and how many members a residual blend averages (0: none).
 */
public record SimilarityState(int visualDim, int audioDim, int[] tagClasses, Integer blendInput, Integer textDim,
        Integer blendResidualMembers) {
    public SimilarityState {
        // a residual blend's member count (see BlendModel); 0: the plain MLP (and checkpoints before it existed)
        blendResidualMembers = blendResidualMembers == null ? 0 : blendResidualMembers;
        blendInput = blendInput == null ? 0 : blendInput; // checkpoints written before blending existed
        textDim = textDim == null ? 0 : textDim; // checkpoints written before the text stream existed
    }
}
