package vidkit.nn;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonValue;

/** Element-wise activations selectable in configs by their JSON name. */
public enum Activation {
    /** LeCun's scaled hyperbolic tangent {@code 1.7159·tanh(2x/3)} (seed 000). */
    SCALED_TANH("scaled_tanh"),
    TANH("tanh"),
    RELU("relu"),
    GELU("gelu"),
    /** No activation: {@code x}. Makes a tower linear up to its pooling and normalization. */
    LINEAR("linear");

    private final String jsonName;

    Activation(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** Applies the activation to {@code x} (any shape). */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case SCALED_TANH -> x.mul(2f / 3f).tanh().mul(1.7159f);
            case TANH -> x.tanh();
            case RELU -> ai.djl.nn.Activation.relu(x);
            case GELU -> ai.djl.nn.Activation.gelu(x);
            case LINEAR -> x;
        };
    }
}
