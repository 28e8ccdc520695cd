package vidkit.similarity;

/**
 * What a similarity checkpoint needs besides parameters: the feature sizes and the pre-training
 * tag classes (YouTube-8M class indices, most frequent first).
 */
public record SimilarityState(int visualDim, int audioDim, int[] tagClasses) {}
