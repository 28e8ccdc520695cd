package vidkit.nn;

import ai.djl.nn.recurrent.RecurrentBlock;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The recurrent cells vidkit builds (always one direction, one layer per DJL block). */
public enum RecurrentKind {
    @JsonProperty("gru")
    GRU,
    @JsonProperty("lstm")
    LSTM;

    /** A single-layer, single-direction, batch-first cell with {@code hidden} units. */
    RecurrentBlock newLayer(int hidden) {
        return switch (this) {
            case GRU -> ai.djl.nn.recurrent.GRU.builder().setStateSize(hidden).setNumLayers(1)
                    .optBatchFirst(true).optReturnState(false).build();
            case LSTM -> ai.djl.nn.recurrent.LSTM.builder().setStateSize(hidden).setNumLayers(1)
                    .optBatchFirst(true).optReturnState(false).build();
        };
    }
}
