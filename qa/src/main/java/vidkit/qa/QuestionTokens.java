package vidkit.qa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import vidkit.text.OnnxTextEncoder;
import vidkit.text.TextEncoder;
import vidkit.text.TextModel;
import vidkit.text.TokenStates;

/**
 * The questions' word vectors: a pretrained text encoder's token states ({@code [tokens, tokenDim]}
 * per question, {@code [CLS]} and {@code [SEP]} included), each distinct text encoded once and kept
 * (generated questions repeat: 44,000 questions have a few hundred texts). Thread-safe.
 */
final class QuestionTokens implements AutoCloseable {
    private static final int ENCODE_BATCH = 64;
    private final TextModel model;
    private final int threads;
    private final int dim;
    private TextEncoder encoder;
    private final Map<String, float[]> states = new ConcurrentHashMap<>();

    QuestionTokens(TextModel model, int threads) {
        this.model = model;
        this.threads = threads;
        dim = model.dimension();
    }

    int dim() {
        return dim;
    }

    /** Encodes the texts not yet known (opening the encoder if it is not open). */
    synchronized void encodeAll(Collection<String> texts) {
        List<String> todo = new ArrayList<>(new LinkedHashSet<>(texts));
        todo.removeIf(states::containsKey);
        if (!todo.isEmpty() && encoder == null) {
            encoder = OnnxTextEncoder.open(model, threads);
        }
        for (int start = 0; start < todo.size(); start += ENCODE_BATCH) {
            List<String> batch = todo.subList(start, Math.min(todo.size(), start + ENCODE_BATCH));
            TokenStates t = encoder.tokens(batch);
            for (int s = 0; s < batch.size(); s++) {
                int len = t.length(s);
                float[] row = new float[len * dim];
                System.arraycopy(t.states(), s * t.tokens() * dim, row, 0, len * dim);
                states.put(batch.get(s), row);
            }
        }
    }

    /** Token vectors {@code [batch, tokens, dim]} and mask {@code [batch, tokens]} of these texts, padded to the longest. */
    NDArray[] batch(NDManager m, List<String> texts) {
        encodeAll(texts);
        int longest = 1;
        for (String t : texts) {
            longest = Math.max(longest, states.get(t).length / dim);
        }
        float[] x = new float[texts.size() * longest * dim];
        float[] mask = new float[texts.size() * longest];
        for (int i = 0; i < texts.size(); i++) {
            float[] row = states.get(texts.get(i));
            System.arraycopy(row, 0, x, i * longest * dim, row.length);
            java.util.Arrays.fill(mask, i * longest, i * longest + row.length / dim, 1f);
        }
        return new NDArray[] {m.create(x, new Shape(texts.size(), longest, dim)), m.create(mask, new Shape(texts.size(), longest))};
    }

    /** Closes the encoder (its native session); the states encoded so far stay, and a new text reopens it. */
    @Override
    public synchronized void close() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }
}
