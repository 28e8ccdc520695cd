package vidkit.cli;

import java.util.Locale;
import vidkit.eval.ScoreNormalization;

/** Parsing of option values shared by several commands. */
final class Options {
    private Options() {}

    /** {@code none} or {@code dual_softmax}; anything else is a bad-input error. */
    static ScoreNormalization normalization(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> ScoreNormalization.NONE;
            case "dual_softmax" -> ScoreNormalization.DUAL_SOFTMAX;
            default -> throw new IllegalArgumentException("--normalization must be none or dual_softmax, got " + name);
        };
    }
}
