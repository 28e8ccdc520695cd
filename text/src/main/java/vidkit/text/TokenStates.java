package vidkit.text;

/**
 * Token states of a batch of sentences, for models that attend over words: {@code states} is
 * {@code [sentences, tokens, hidden]} (row-major), {@code mask} is {@code [sentences, tokens]} with
 * 1 for a real token ({@code [CLS]} and {@code [SEP]} included) and 0 for padding; {@code tokens} is
 * the longest sentence's length in the batch. Padded positions' states are zeros.
 */
public record TokenStates(int sentences, int tokens, int hidden, float[] states, int[] mask) {
    public TokenStates {
        if (states.length != (long) sentences * tokens * hidden || mask.length != (long) sentences * tokens) {
            throw new IllegalArgumentException("token states of " + sentences + " x " + tokens + " x " + hidden
                    + " need " + (long) sentences * tokens * hidden + " values and " + (long) sentences * tokens
                    + " mask entries, got " + states.length + " and " + mask.length);
        }
    }

    /** How many real tokens sentence {@code s} has. */
    public int length(int s) {
        int n = 0;
        for (int t = 0; t < tokens; t++) {
            n += mask[s * tokens + t];
        }
        return n;
    }
}
