/**
 * The one training loop. {@link vidkit.train.Trainer} runs any {@link vidkit.core.Task}: it seeds,
 * shuffles, makes each batch in its own {@code NDManager}, steps {@link vidkit.train.AdamOptimizer}
 * (global-norm clipping) on the task's loss, follows the {@link vidkit.train.LearningRateSchedule},
 * stops early, writes best and last checkpoints and resumes exactly; {@link
 * vidkit.train.TrainingListener}s write {@code metrics.csv}, TensorBoard events, progress and the
 * console lines.
 */
package vidkit.train;
