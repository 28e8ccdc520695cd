package vidkit.nn;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Element-wise activations selectable in configs by their JSON name. */
public enum Activation {
    /** LeCun's scaled hyperbolic tangent {@code 1.7159·tanh(2x/3)} (seed 000). */
    @JsonProperty("scaled_tanh")
    SCALED_TANH,
    @JsonProperty("tanh")
    TANH,
    @JsonProperty("relu")
    RELU,
    @JsonProperty("gelu")
    GELU,
    /** No activation: {@code x}. Makes a tower linear up to its pooling and normalization. */
    @JsonProperty("linear")
    LINEAR;

    /** Applies the activation to {@code x} (any shape). */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case SCALED_TANH -> Scalars.times(Scalars.times(x, 2f / 3f).tanh(), 1.7159f);
            case TANH -> x.tanh();
            case RELU -> ai.djl.nn.Activation.relu(x);
            case GELU -> ai.djl.nn.Activation.gelu(x);
            case LINEAR -> x;
        };
    }
}
