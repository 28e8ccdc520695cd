package vidkit.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One validation pass: named metrics (written to {@code metrics.csv} as {@code validation_NAME},
 * in this order), the one that selects the best checkpoint (higher is better), and a line for the
 * console.
 *
 * @param metrics name → value, in column order
 * @param selection the key of the selection metric
 * @param summary a short human-readable line
 */
public record Validation(Map<String, Double> metrics, String selection, String summary) {
    public Validation {
        metrics = new LinkedHashMap<>(metrics);
        if (!metrics.containsKey(selection)) {
            throw new IllegalArgumentException("selection metric " + selection + " is not among " + metrics.keySet());
        }
    }

    /** The selection metric's value. */
    public double selected() {
        return metrics.get(selection);
    }
}
