package vidkit.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.nio.file.Path;
import vidkit.core.Checkpoint;
import vidkit.core.Progress;
import vidkit.core.TrainedModel;
import vidkit.data.InvalidDataException;
import vidkit.data.TaggingDataset;
import vidkit.nn.Tagger;

/** A tagger restored from a checkpoint, scoring datasets: logits {@code [videos, classes]}. */
public final class TrainedTagger implements TrainedModel {
    static final int BATCH = 256;
    private final NDManager manager;
    private final Tagger tagger;
    private final TaggingConfig config;
    private final TaggingState state;
    private final Checkpoint checkpoint;

    TrainedTagger(NDManager manager, Tagger tagger, TaggingConfig config, TaggingState state, Checkpoint checkpoint) {
        this.manager = manager;
        this.tagger = tagger;
        this.config = config;
        this.state = state;
        this.checkpoint = checkpoint;
    }

    /** Builds and initializes (Xavier; the caller seeds the engine) a tagger for the given sizes. */
    static Tagger newTagger(TaggingConfig config, NDManager manager, int visualDim, int audioDim, int classes) {
        Tagger t = config.model().build(visualDim, audioDim, classes);
        t.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        t.initialize(manager, DataType.FLOAT32, new Shape(2, 1, visualDim), new Shape(2, 1, audioDim), new Shape(2, 1));
        return t;
    }

    /** Restores a checkpoint file of a tagging run. */
    public static TrainedTagger load(Path checkpointFile) throws IOException {
        return load(Checkpoint.read(checkpointFile));
    }

    /** Restores a read checkpoint of a tagging run. */
    public static TrainedTagger load(Checkpoint c) throws IOException {
        return c.restore(TaggingConfig.class, TaggingState.class, (config, manager, state) -> newTagger(config, manager,
                state.visualDim(), state.audioDim(), state.classNames().length), TrainedTagger::new);
    }

    /** The run's resolved config. */
    public TaggingConfig config() {
        return config;
    }

    /** Feature sizes, class names and normalizers. */
    public TaggingState state() {
        return state;
    }

    @Override
    public Tagger block() {
        return tagger;
    }

    @Override
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** Logits of raw (unnormalized) data, {@code [videos, classes]} row-major. */
    public float[] logits(TaggingDataset raw) throws InvalidDataException {
        return logits(raw, true);
    }

    /** As {@link #logits(TaggingDataset)}; {@code showProgress} false for a server's single queries. */
    public float[] logits(TaggingDataset raw, boolean showProgress) throws InvalidDataException {
        if (raw.visualDim() != state.visualDim() || raw.audioDim() != state.audioDim()) {
            throw new InvalidDataException(Path.of(raw.source()), "features are visual " + raw.visualDim() + ", audio "
                    + raw.audioDim() + " per frame; the tagger was trained on " + state.visualDim() + " and "
                    + state.audioDim());
        }
        if (raw.classes() != state.classNames().length) {
            throw new InvalidDataException(Path.of(raw.source()), "has a vocabulary of " + raw.classes()
                    + " classes; the tagger predicts " + state.classNames().length);
        }
        TaggingDataset data = TaggingBatches.normalized(raw, state.visualNormalizer(), state.audioNormalizer());
        if (!showProgress) {
            return logitsOf(manager, tagger, data, null);
        }
        try (Progress progress = Progress.start("tagging", data.size())) {
            return logitsOf(manager, tagger, data, progress);
        }
    }

    static float[] logitsOf(NDManager manager, Tagger tagger, TaggingDataset data) {
        return logitsOf(manager, tagger, data, null);
    }

    /** Logits of normalized data in batches; {@code progress} (may be null) advances by videos. */
    static float[] logitsOf(NDManager manager, Tagger tagger, TaggingDataset data, Progress progress) {
        int classes = tagger.classes();
        float[] out = new float[data.size() * classes];
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterStore ps = new ParameterStore(m, false);
            for (int start = 0; start < data.size(); start += BATCH) {
                int n = Math.min(BATCH, data.size() - start);
                int[] idx = new int[n];
                for (int k = 0; k < n; k++) {
                    idx[k] = start + k;
                }
                try (NDScope s = new NDScope()) {
                    s.suppressNotUsedWarning();
                    TaggingBatches.Batch b = TaggingBatches.of(m, data, idx, 0);
                    NDArray logits = tagger.logits(ps, b.visual(), b.audio(), b.mask(), false);
                    System.arraycopy(logits.toFloatArray(), 0, out, start * classes, n * classes);
                    if (progress != null) {
                        progress.step(n, "");
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
