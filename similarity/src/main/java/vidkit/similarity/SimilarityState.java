package vidkit.similarity;

/**
 * What a similarity checkpoint needs besides parameters: the feature sizes, the pre-training tag
 * classes (YouTube-8M class indices, most frequent first) and, for a blend, the width of the
 * members' concatenated embeddings (0 otherwise).
 */
public record SimilarityState(int visualDim, int audioDim, int[] tagClasses, Integer blendInput) {
    public SimilarityState {
        blendInput = blendInput == null ? 0 : blendInput; // checkpoints written before blending existed
    }
}
