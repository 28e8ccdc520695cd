/**
 * The task-neutral core every other role builds on: binding JSON configs ({@link vidkit.core.Configs},
 * {@link vidkit.core.Json}), run directories and their provenance, checkpoints (format version 2,
 * parameters per named block: {@link vidkit.core.Checkpoint}, {@link vidkit.core.ModelBlocks}), and
 * the plug-in interface of a task ({@link vidkit.core.Task}, {@link vidkit.core.TrainingJob}) with
 * its {@link vidkit.core.TaskRegistry}. Training ({@code vidkit.train}), serving and reports depend
 * on this module; serving needs no trainer.
 */
package vidkit.core;
