package vidkit.tagging;

import vidkit.data.FeatureNormalizer;

/**
 * The tagging task's part of a checkpoint header (the same fields a version-1 tagging checkpoint
 * kept at the top of its header).
 *
 * @param visualDim visual features per frame
 * @param audioDim audio features per frame
 * @param classNames the vocabulary, by class index
 * @param singleLabel trained on single-label data (accuracy selects the best checkpoint)
 * @param visualNormalizer fitted on the training split
 * @param audioNormalizer fitted on the training split
 */
public record TaggingState(int visualDim, int audioDim, String[] classNames, boolean singleLabel,
        FeatureNormalizer visualNormalizer, FeatureNormalizer audioNormalizer) {}
