package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The training loss of a pair-classifying model; in JSON by its lower-case name. */
public enum PairLoss {
    /** Binary cross-entropy on the match probability of true and shuffled pairs. */
    BCE,
    /**
     * Hadsell, Chopra and LeCun (2006), the course starter code's loss: {@code y·d²/2 + (1 −
     * y)·max(0, margin − d)²/2} on the Euclidean distance {@code d} between the two streams'
     * embeddings; the score is {@code −d}.
     */
    CONTRASTIVE;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PairLoss fromJson(String name) {
        for (PairLoss l : values()) {
            if (l.jsonName().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "', expected bce or contrastive");
    }
}
