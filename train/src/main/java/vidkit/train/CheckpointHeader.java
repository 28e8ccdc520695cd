package vidkit.train;

import vidkit.data.FeatureNormalizer;

/**
 * The JSON part of a checkpoint: everything needed to rebuild the model and continue training.
 *
 * @param vidkitVersion the version that wrote it
 * @param config the resolved training config
 * @param epoch the last completed epoch (0-based)
 * @param frames time steps per clip the model was trained on
 * @param videoDim visual feature size
 * @param audioDim audio feature size
 * @param classes event classes in the training labels (0 without labels)
 * @param videoNormalizer fitted on the training split
 * @param audioNormalizer fitted on the training split
 * @param schedule the learning-rate schedule's state
 * @param bestMetric best validation MRR so far
 * @param bestEpoch epoch of the best validation MRR
 * @param epochsWithoutImprovement for early stopping
 */
public record CheckpointHeader(String vidkitVersion, TrainConfig config, int epoch, int frames, int videoDim,
        int audioDim, int classes, FeatureNormalizer videoNormalizer, FeatureNormalizer audioNormalizer,
        LearningRateSchedule.State schedule, double bestMetric, int bestEpoch, int epochsWithoutImprovement) {
    /** This run's header after {@code epoch} (0-based), with the training state at that point. */
    CheckpointHeader after(int epoch, LearningRateSchedule.State schedule, double bestMetric, int bestEpoch,
            int epochsWithoutImprovement) {
        return new CheckpointHeader(vidkitVersion, config, epoch, frames, videoDim, audioDim, classes, videoNormalizer,
                audioNormalizer, schedule, bestMetric, bestEpoch, epochsWithoutImprovement);
    }
}
