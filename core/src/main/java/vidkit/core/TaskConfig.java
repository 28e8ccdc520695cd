package vidkit.core;

import vidkit.data.SplitConfig;

/**
 * What every task's config has: the keys the {@link Task}-neutral training loop reads. A task's
 * config is an immutable record implementing this interface that validates in its constructor and
 * holds its defaults there; its {@code "type"} names the task in the {@link TaskRegistry}, which
 * binds a JSON object to the record of the task it names.
 *
 * <p>Why not a sealed interface: in the unnamed module (vidkit runs from the class path) a sealed
 * type's permitted subtypes must sit in its own package, so a sealed hierarchy would force every
 * task's config into {@code vidkit.core} and a task could no longer be one package that plugs in.
 * The registry is the closed set instead: an unknown {@code "type"} is an error listing the known
 * ones.
 */
public interface TaskConfig {
    /** The task's registry name, e.g. {@code "matching"}. */
    String type();

    /** The dataset: a directory, a file or a glob, as the task reads it. */
    String data();

    SplitConfig split();

    OptimizerConfig optimizer();

    ScheduleConfig schedule();

    /** Maximum epochs. */
    Integer epochs();

    /** Examples per batch. */
    Integer batchSize();

    /** Stop after this many epochs without a better selection metric (0 = off). */
    Integer earlyStopping();

    /** Seeds initialization, shuffling, dropout and augmentation. */
    Long seed();

    /** A block of the model taken from another run's checkpoint, or {@code null}. */
    InitConfig init();

    /** A frozen model of another run whose outputs the task's loss may use, or {@code null}. */
    TeacherConfig teacher();
}
