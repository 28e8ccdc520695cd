package vidkit.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;
import vidkit.data.Split;

/**
 * One training run of a {@link Task}, as the training loop drives it: the task owns the data, the
 * model's construction, the batches and the loss, validation and the final evaluation; the loop
 * owns seeding, shuffling, each batch's {@code NDManager}, updates, clipping, schedules, early
 * stopping, checkpoints and resuming.
 *
 * @param <E> the final evaluation's result
 */
public interface TrainingJob<E> {
    /** The dataset as given, for provenance. */
    Path dataPath();

    /** SHA-256 over the dataset's files, for provenance. */
    String dataFingerprint();

    /** The split this run trains and validates on. */
    Split split();

    /** Training examples per epoch; batches are drawn from a permutation of {@code 0..size-1}. */
    int trainingSize();

    /**
     * Builds and initializes the model in {@code manager} (the loop has seeded the engine), and
     * keeps it for {@link #loss} and {@link #validate}.
     */
    Block buildModel(NDManager manager);

    /**
     * The scalar training loss of the examples {@code indices} (positions in the training side), with
     * the batch's arrays made in {@code batch}; {@code random} is the epoch's generator (augmentation,
     * negatives), used in a fixed order so runs repeat exactly.
     */
    NDArray loss(ParameterStore parameters, NDManager batch, int[] indices, Random random);

    /** Scores the validation side after an epoch (or a closed-form fit). */
    Validation validate() throws IOException;

    /**
     * Whether the model is fitted in closed form rather than by gradient steps (the loop then calls
     * {@link #fitClosedForm} once instead of running epochs). A capability of the model, asked of the job.
     */
    default boolean fitsInClosedForm() {
        return false;
    }

    /** Fits the model in closed form on the whole training side; returns a line describing the fit. */
    default String fitClosedForm(NDManager manager) {
        throw new UnsupportedOperationException("this model is trained by gradient steps");
    }

    /**
     * The learning-rate multiplier of one trainable parameter (its path in the model, as DJL names
     * it): 1 by default; a task may give deeper blocks larger rates (layer-wise decay).
     */
    default double learningRateMultiplier(String parameterPath) {
        return 1;
    }

    /**
     * Runs this one is built from besides {@code init} and {@code teacher} (e.g. the members a
     * blend combines), recorded in the provenance with role {@code member}; none by default.
     */
    default java.util.List<RunDirectory> memberRuns() {
        return java.util.List.of();
    }

    /** The task's state for the checkpoint header (feature sizes, normalizers, classes). */
    JsonNode state();

    /** The final evaluation of the finished run (its inference checkpoint), printed to {@code out}. */
    E evaluate(RunDirectory run, PrintStream out) throws IOException;
}
