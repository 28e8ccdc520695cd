package vidkit.similarity;

/** Two videos and how similar they are judged to be, in {@code [0, 1]}. */
public record Pair(String id1, String id2, double score) {}
