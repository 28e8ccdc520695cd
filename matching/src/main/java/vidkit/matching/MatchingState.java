package vidkit.matching;

import vidkit.data.FeatureNormalizer;

/**
 * The matching task's part of a checkpoint header: what rebuilds the model and prepares its inputs
 * (the same fields a version-1 matching checkpoint kept at the top of its header).
 *
 * @param frames time steps per clip the model was trained on
 * @param videoDim visual feature size
 * @param audioDim audio feature size
 * @param classes event classes in the training labels (0 without labels)
 * @param videoNormalizer fitted on the training split
 * @param audioNormalizer fitted on the training split
 */
public record MatchingState(int frames, int videoDim, int audioDim, int classes, FeatureNormalizer videoNormalizer,
        FeatureNormalizer audioNormalizer) {}
