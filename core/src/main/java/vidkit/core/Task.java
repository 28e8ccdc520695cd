package vidkit.core;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import vidkit.data.Split;

/**
 * A task vidkit can train, evaluate, predict with and report on — matching, tagging, ... — as one
 * plug-in. A task is a package (its own Maven module) with a config record, an implementation of
 * this interface listed in {@code META-INF/services/vidkit.core.Task}, and its models and metrics;
 * the one training loop ({@code vidkit.train.Trainer}) and every command find it in the {@link
 * TaskRegistry} by the config's {@code "type"}.
 *
 * @param <C> the task's config record
 * @param <E> what its evaluation of a run returns
 */
public interface Task<C extends TaskConfig, E> {
    /** The registry name, the value of the config's {@code "type"}. */
    String type();

    /** The config record JSON objects of this type bind to. */
    Class<C> configType();

    /** The prefix of a new run directory's name ({@code twotower}, {@code tagging-netvlad-moe}). */
    String runName(C config);

    /**
     * Loads the data and everything a training run needs: the split (made from the config's split
     * settings, or {@code storedSplit} of a resumed run), preprocessing fitted on the training side
     * (or restored from {@code resumed}'s task state), the model's builder, batches, loss and
     * validation.
     *
     * @param resumed the checkpoint a resumed run continues from, else {@code null}
     * @param teacher the frozen teacher model of {@link TaskConfig#teacher()}, else {@code null}
     */
    TrainingJob<E> prepare(C config, Split storedSplit, Checkpoint resumed, TrainedModel teacher, PrintStream out)
            throws IOException;

    /** A run's trained model from one of its checkpoints, ready for inference (and as a teacher or init source). */
    TrainedModel open(Checkpoint checkpoint) throws IOException;

    /** {@code vidkit evaluate}: writes the run's evaluation files and prints a table. */
    E evaluate(EvaluationRequest request, PrintStream out) throws IOException;

    /** {@code vidkit predict}: writes predictions for new data. */
    void predict(PredictionRequest request, PrintStream out) throws IOException;

    /**
     * The headline numbers of a run's evaluation (for {@code vidkit runs compare}), in display
     * order; empty when the run has not been evaluated.
     */
    java.util.Map<String, Double> headline(RunDirectory run) throws IOException;

    /** The task's sections of the run report, from the run's evaluation files. */
    List<ReportItem> reportItems(RunDirectory run) throws IOException;
}
