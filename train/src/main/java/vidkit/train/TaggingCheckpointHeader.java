package vidkit.train;

import vidkit.data.FeatureNormalizer;

/**
 * The JSON part of a tagging checkpoint: everything needed to rebuild the tagger and continue.
 *
 * @param vidkitVersion the version that wrote it
 * @param config the resolved training config
 * @param epoch the last completed epoch (0-based)
 * @param visualDim visual features per frame
 * @param audioDim audio features per frame
 * @param classNames the vocabulary, by class index
 * @param singleLabel trained on single-label data (accuracy is the selection metric)
 * @param visualNormalizer fitted on the training split
 * @param audioNormalizer fitted on the training split
 * @param schedule the learning-rate schedule's state
 * @param bestMetric best validation selection metric (GAP, or accuracy for single-label data)
 * @param bestEpoch its epoch
 * @param epochsWithoutImprovement for early stopping
 */
public record TaggingCheckpointHeader(String vidkitVersion, TaggingTrainConfig config, int epoch, int visualDim,
        int audioDim, String[] classNames, boolean singleLabel, FeatureNormalizer visualNormalizer,
        FeatureNormalizer audioNormalizer, LearningRateSchedule.State schedule, double bestMetric, int bestEpoch,
        int epochsWithoutImprovement) {}
