/**
 * Training: configs, the optimizer, schedules, checkpoints, run directories and the training loop.
 *
 * <p>A {@link vidkit.train.TrainConfig} (one JSON, {@code --set key=value} overrides) drives {@link
 * vidkit.train.MatchingTrainer}, which splits the data, fits the feature normalizers on the training
 * split, trains with {@link vidkit.train.AdamOptimizer}, evaluates on the validation split every
 * epoch and writes everything into a {@link vidkit.train.RunDirectory}: resolved config,
 * provenance, split, per-epoch metrics and checksummed {@link vidkit.train.Checkpoint}s.
 */
package vidkit.train;
