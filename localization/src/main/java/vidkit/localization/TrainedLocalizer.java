package vidkit.localization;

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
import vidkit.core.TrainedModel;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.nn.EventLocalizer;

/** A localizer restored from a checkpoint: per-second event probabilities, clip class probabilities, timelines. */
public final class TrainedLocalizer implements TrainedModel {
    static final int BATCH = 256;
    private final NDManager manager;
    private final EventLocalizer model;
    private final LocalizationConfig config;
    private final LocalizationState state;
    private final Checkpoint checkpoint;

    TrainedLocalizer(NDManager manager, EventLocalizer model, LocalizationConfig config, LocalizationState state,
            Checkpoint checkpoint) {
        this.manager = manager;
        this.model = model;
        this.config = config;
        this.state = state;
        this.checkpoint = checkpoint;
    }

    /** Builds and initializes (Xavier; the caller seeds the engine) a localizer for these sizes. */
    static EventLocalizer newModel(LocalizationConfig config, NDManager manager, LocalizationState state) {
        EventLocalizer m = config.model().build(state.videoDim(), state.audioDim(), state.classNames().length);
        m.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        m.initialize(manager, DataType.FLOAT32, new Shape(2, state.frames(), state.videoDim()),
                new Shape(2, state.frames(), state.audioDim()));
        return m;
    }

    public static TrainedLocalizer load(Path file) throws IOException {
        return load(Checkpoint.read(file));
    }

    public static TrainedLocalizer load(Checkpoint c) throws IOException {
        return c.restore(LocalizationConfig.class, LocalizationState.class, TrainedLocalizer::newModel,
                TrainedLocalizer::new);
    }

    @Override
    public EventLocalizer block() {
        return model;
    }

    @Override
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    @Override
    public void close() {
        manager.close();
    }

    public LocalizationConfig config() {
        return config;
    }

    public LocalizationState state() {
        return state;
    }

    /**
     * The heads' probabilities for each clip.
     *
     * @param event {@code [clips][frames]}: probability that the second holds the clip's event
     * @param classes {@code [clips][C]}: the clip's event class distribution
     */
    public record Scores(float[][] event, float[][] classes) {
        /** Per-second labels (see {@link #decode}). */
        public int[][] labels(double threshold) {
            int[][] out = new int[event.length][];
            for (int c = 0; c < event.length; c++) {
                out[c] = decode(event[c], classes[c], threshold);
            }
            return out;
        }

        /** The argmax class of each clip. */
        public int[] clipClasses() {
            int[] out = new int[classes.length];
            for (int c = 0; c < classes.length; c++) {
                out[c] = argmax(classes[c]);
            }
            return out;
        }
    }

    /**
     * One clip's labels: the argmax class at each second whose event probability exceeds {@code
     * threshold}, background ({@code C}) elsewhere; when no second passes, the most eventful second
     * is the event (every AVE clip has one). Ties go to the lower index.
     */
    public static int[] decode(float[] event, float[] classes, double threshold) {
        int c = argmax(classes);
        int[] out = new int[event.length];
        boolean any = false;
        for (int t = 0; t < event.length; t++) {
            out[t] = event[t] > threshold ? c : classes.length;
            any |= event[t] > threshold;
        }
        if (!any && event.length > 0) {
            out[argmax(event)] = c;
        }
        return out;
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Scores of raw (unnormalized) clips {@code [clips, frames, dim]} per modality. */
    public Scores score(FeatureSet video, FeatureSet audio) throws InvalidDataException {
        if (video.frames() != state.frames() || video.dim() != state.videoDim() || audio.dim() != state.audioDim()) {
            throw new InvalidDataException(video.dir(), "clips are [" + video.frames() + ", " + video.dim() + "] video, "
                    + audio.dim() + " audio; the localizer was trained on [" + state.frames() + ", " + state.videoDim()
                    + "] and " + state.audioDim());
        }
        return scoreNormalized(manager, model, state.videoNormalizer().apply(video), state.audioNormalizer().apply(audio));
    }

    /** Scores of normalized clips, in batches, in a sub-manager of {@code parent}. */
    static Scores scoreNormalized(NDManager parent, EventLocalizer model, FeatureSet video, FeatureSet audio) {
        int n = video.size();
        int frames = video.frames();
        float[][] event = new float[n][];
        float[][] classes = new float[n][];
        try (NDManager m = parent.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterStore ps = new ParameterStore(m, false);
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                try (NDScope s = new NDScope()) {
                    s.suppressNotUsedWarning();
                    NDArray v = m.create(java.util.Arrays.copyOfRange(video.values(), start * frames * video.dim(),
                            (start + b) * frames * video.dim()), new Shape(b, frames, video.dim()));
                    NDArray a = m.create(java.util.Arrays.copyOfRange(audio.values(), start * frames * audio.dim(),
                            (start + b) * frames * audio.dim()), new Shape(b, frames, audio.dim()));
                    EventLocalizer.Output o = model.forward(ps, v, a, false);
                    float[] e = ai.djl.nn.Activation.sigmoid(o.eventLogits()).toFloatArray();
                    float[] p = o.classLogits().softmax(1).toFloatArray();
                    int k = model.classes();
                    for (int i = 0; i < b; i++) {
                        event[start + i] = java.util.Arrays.copyOfRange(e, i * frames, (i + 1) * frames);
                        classes[start + i] = java.util.Arrays.copyOfRange(p, i * k, (i + 1) * k);
                    }
                }
            }
        }
        return new Scores(event, classes);
    }
}
