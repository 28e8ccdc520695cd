package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a tower turns per-frame codes {@code [batch, frames, dim]} into one vector. */
public enum Pooling {
    /** Additive attention over time ({@link AttentionPooling}): order-free. */
    ATTENTION("attention"),
    /** The mean over time: order-free. */
    MEAN("mean"),
    /**
     * The frames concatenated in time order, {@code [batch, frames·dim]}: keeps when things happen,
     * which tells apart clips of the same class; ties the model to the trained clip length.
     */
    FLATTEN("flatten");

    private final String jsonName;

    Pooling(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }
}
