package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A video question-answering model ({@link VideoQuestionAnswerer}): the graph model or one of its
 * baselines. Defaults live here.
 *
 * @param type {@code graph} (the DualVGR-style model, default), or a baseline: {@code question}
 *     (the question alone), {@code video} (the mean-pooled streams alone, no question), {@code fusion}
 *     (mean-pooled streams + the question vector → MLP)
 * @param hidden width of the question encoder, the streams and the classifier (default 128; a
 *     multiple of {@code heads} and even)
 * @param heads graph-attention heads (default 4)
 * @param layers iterations of the intra- and cross-stream graphs (default 2)
 * @param dropout on the projected streams and the classifier's hidden layer in training (default 0.2)
 * @param wordDropout share of question tokens dropped in training (default 0.1)
 * @param reconstruction decoders that rebuild each stream's input from its graph states, for the
 *     task's reconstruction loss (the seed's autoencoder; default false; graph model only)
 */
public record AnswererConfig(Kind type, Integer hidden, Integer heads, Integer layers, Double dropout,
        Double wordDropout, Boolean reconstruction) {
    /** Which model. */
    public enum Kind {
        @JsonProperty("graph")
        GRAPH,
        @JsonProperty("question")
        QUESTION,
        @JsonProperty("video")
        VIDEO,
        @JsonProperty("fusion")
        FUSION
    }

    public AnswererConfig {
        type = type == null ? Kind.GRAPH : type;
        hidden = hidden == null ? 128 : hidden;
        heads = heads == null ? 4 : heads;
        layers = layers == null ? 2 : layers;
        dropout = dropout == null ? 0.2 : dropout;
        wordDropout = wordDropout == null ? 0.1 : wordDropout;
        MatchingModelConfig.require(wordDropout >= 0 && wordDropout < 1, "model.wordDropout must be in [0, 1)");
        reconstruction = reconstruction == null ? Boolean.FALSE : reconstruction;
        MatchingModelConfig.require(hidden >= 2 && hidden % 2 == 0, "model.hidden must be even and >= 2, got " + hidden);
        MatchingModelConfig.require(heads >= 1 && hidden % heads == 0,
                "model.heads must divide model.hidden (" + hidden + "), got " + heads);
        MatchingModelConfig.require(layers >= 0, "model.layers must be >= 0");
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
        MatchingModelConfig.require(!reconstruction || type == Kind.GRAPH,
                "model.reconstruction: only the graph model has stream decoders");
    }

    public static AnswererConfig defaults() {
        return new AnswererConfig(null, null, null, null, null, null, null);
    }

    /** Builds an uninitialized model for these feature sizes and answers. */
    public VideoQuestionAnswerer build(int videoDim, int audioDim, int answers) {
        return type == Kind.GRAPH ? new GraphAnswerer(this, videoDim, audioDim, answers)
                : new BaselineAnswerer(this, answers);
    }
}
