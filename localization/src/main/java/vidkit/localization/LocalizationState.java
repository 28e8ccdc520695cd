package vidkit.localization;

import vidkit.data.FeatureNormalizer;

/**
 * The localization task's part of a checkpoint header.
 *
 * @param frames seconds per clip
 * @param videoDim visual features per second
 * @param audioDim audio features per second
 * @param classNames the event classes by index; background is index {@code classNames.length}
 * @param videoNormalizer fitted on the training split
 * @param audioNormalizer fitted on the training split
 */
public record LocalizationState(int frames, int videoDim, int audioDim, String[] classNames,
        FeatureNormalizer videoNormalizer, FeatureNormalizer audioNormalizer) {
    /** The background label: one past the last event class. */
    public int background() {
        return classNames.length;
    }

    /** A label's name: an event class, or "background". */
    public String name(int label) {
        return label == classNames.length ? "background" : classNames[label];
    }
}
