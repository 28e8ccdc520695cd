package vidkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import vidkit.data.InvalidDataException;
import vidkit.data.TaggingDataset;
import vidkit.nn.Tagger;

/** A tagger restored from a checkpoint, scoring datasets: logits {@code [videos, classes]}. */
public final class TrainedTagger implements AutoCloseable {
    static final int BATCH = 256;
    private final NDManager manager;
    private final Tagger tagger;
    private final TaggingCheckpointHeader header;

    TrainedTagger(NDManager manager, Tagger tagger, TaggingCheckpointHeader header) {
        this.manager = manager;
        this.tagger = tagger;
        this.header = header;
    }

    static Tagger newTagger(TaggingTrainConfig config, NDManager manager, int visualDim, int audioDim, int classes) {
        Tagger t = config.model().build(visualDim, audioDim, classes);
        t.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        t.initialize(manager, DataType.FLOAT32, new Shape(2, 1, visualDim), new Shape(2, 1, audioDim), new Shape(2, 1));
        return t;
    }

    public static TrainedTagger load(Path checkpointFile) throws IOException {
        Checkpoint c = Checkpoint.read(checkpointFile);
        TaggingCheckpointHeader h = c.taggingHeader();
        NDManager manager = NDManager.newBaseManager();
        try {
            Tagger t = newTagger(h.config(), manager, h.visualDim(), h.audioDim(), h.classNames().length);
            t.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(c.modelParameters())));
            return new TrainedTagger(manager, t, h);
        } catch (IOException | RuntimeException | ai.djl.MalformedModelException e) {
            manager.close();
            throw new InvalidDataException(checkpointFile, "parameters do not fit the tagger in its config: " + e.getMessage());
        }
    }

    public TaggingCheckpointHeader header() {
        return header;
    }

    /** Logits of raw (unnormalized) data, {@code [videos, classes]} row-major. */
    public float[] logits(TaggingDataset raw) throws InvalidDataException {
        return logits(raw, true);
    }

    /** As {@link #logits(TaggingDataset)}; {@code showProgress} false for a server's single queries. */
    public float[] logits(TaggingDataset raw, boolean showProgress) throws InvalidDataException {
        if (raw.visualDim() != header.visualDim() || raw.audioDim() != header.audioDim()) {
            throw new InvalidDataException(Path.of(raw.source()), "features are visual " + raw.visualDim() + ", audio "
                    + raw.audioDim() + " per frame; the tagger was trained on " + header.visualDim() + " and "
                    + header.audioDim());
        }
        if (raw.classes() != header.classNames().length) {
            throw new InvalidDataException(Path.of(raw.source()), "has a vocabulary of " + raw.classes()
                    + " classes; the tagger predicts " + header.classNames().length);
        }
        TaggingDataset data = TaggingBatches.normalized(raw, header.visualNormalizer(), header.audioNormalizer());
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
