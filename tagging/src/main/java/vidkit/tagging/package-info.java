/**
 * The tagging task: many labels per video (YouTube-8M) or one event per clip (AVE). {@link
 * vidkit.tagging.TaggingTask} plugs into the training loop ({@code "type": "tagging"}, {@link
 * vidkit.tagging.TaggingConfig}); {@link vidkit.tagging.TrainedTagger} restores a run's tagger;
 * {@link vidkit.tagging.TaggingEvaluation} computes the official GAP@20, mAP, Hit@1 and PERR; {@link
 * vidkit.tagging.TaggingPredictions} writes the Kaggle CSV.
 */
package vidkit.tagging;
