package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a tower turns per-frame codes {@code [batch, frames, dim]} into one vector. */
public enum Pooling {
    /** Additive attention over time ({@link AttentionPooling}): order-free. */
    @JsonProperty("attention")
    ATTENTION,
    /** The mean over time: order-free. */
    @JsonProperty("mean")
    MEAN,
    /**
     * The frames concatenated in time order, {@code [batch, frames·dim]}: keeps when things happen,
     * which tells apart clips of the same class; ties the model to the trained clip length.
     */
    @JsonProperty("flatten")
    FLATTEN,
    /** NetVLAD over the frames ({@link NetVladPooling}, {@code clusters} centres): order-free. */
    @JsonProperty("netvlad")
    NETVLAD;

}
