package vidkit.text;

import java.util.List;

/**
 * Sentences to vectors. Implementations are thread-safe and hold native resources: close them.
 * A sentence is any string (the empty one too); one longer than the model's limit is cut.
 */
public interface TextEncoder extends AutoCloseable {
    /** Which model this is (its name, e.g. {@code minilm-l6}). */
    String name();

    /** Width of a sentence vector. */
    int dimension();

    /**
     * Sentence vectors {@code [texts.size(), dimension()]} (row-major), each of unit length; the
     * same sentence gives the same vector alone or in any batch (up to float rounding).
     */
    float[] sentences(List<String> texts);

    /** Token ids of one sentence as the model sees it ({@code [CLS] ... [SEP]}, cut at the limit). */
    long[] tokenIds(String text);

    /** Token states and mask of a batch of sentences (see {@link TokenStates}). */
    TokenStates tokens(List<String> texts);

    @Override
    void close();
}
