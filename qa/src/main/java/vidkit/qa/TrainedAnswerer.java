package vidkit.qa;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import vidkit.core.Checkpoint;
import vidkit.core.TrainedModel;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.nn.VideoQuestionAnswerer;
import vidkit.text.TextModel;

/**
 * A question-answering run restored from a checkpoint: the answer distribution of questions about
 * clips. Holds the model and the question encoder (native resources): close it. Thread-safe for
 * {@link #answer}.
 */
public final class TrainedAnswerer implements TrainedModel {
    static final int BATCH = 256;
    private final NDManager manager;
    private final VideoQuestionAnswerer model;
    private final QaConfig config;
    private final QaState state;
    private final Checkpoint checkpoint;
    private final Set<String> knownWords;
    private QuestionTokens tokens;

    TrainedAnswerer(NDManager manager, VideoQuestionAnswerer model, QaConfig config, QaState state, Checkpoint checkpoint) {
        this.manager = manager;
        this.model = model;
        this.config = config;
        this.state = state;
        this.checkpoint = checkpoint;
        this.knownWords = Set.of(state.knownWords());
    }

    /** Builds and initializes (Xavier; the caller seeds the engine) an answerer for these sizes. */
    static VideoQuestionAnswerer newModel(QaConfig config, NDManager manager, QaState state) {
        VideoQuestionAnswerer m = config.model().build(state.videoDim(), state.audioDim(), state.answers().length);
        m.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        m.initialize(manager, DataType.FLOAT32, new Shape(2, state.frames(), state.videoDim()),
                new Shape(2, state.frames(), state.audioDim()), new Shape(2, 4, state.tokenDim()), new Shape(2, 4));
        return m;
    }

    public static TrainedAnswerer load(Path file) throws IOException {
        return load(Checkpoint.read(file));
    }

    public static TrainedAnswerer load(Checkpoint c) throws IOException {
        return c.restore(QaConfig.class, QaState.class, TrainedAnswerer::newModel, TrainedAnswerer::new);
    }

    @Override
    public VideoQuestionAnswerer block() {
        return model;
    }

    @Override
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public QaConfig config() {
        return config;
    }

    public QaState state() {
        return state;
    }

    private synchronized QuestionTokens tokens() {
        if (tokens == null) {
            tokens = new QuestionTokens(TextModel.of(state.textModel()), 1);
        }
        return tokens;
    }

    @Override
    public synchronized void close() {
        if (tokens != null) {
            tokens.close();
        }
        manager.close();
    }

    /** One answer and its probability. */
    public record Answer(String answer, double probability) {}

    /**
     * The {@code k} most probable answers to {@code question} about one clip ({@code video [frames,
     * videoDim]}, {@code audio [frames, audioDim]}, raw features, row-major), best first (ties: the
     * answer first in the vocabulary).
     *
     * @throws Questions.InvalidQuestionException for an empty, overlong or unknown-worded question
     * @throws InvalidDataException for features of the wrong shape
     */
    public List<Answer> answer(float[] video, float[] audio, String question, int k) throws InvalidDataException {
        String q = Questions.check(question, knownWords);
        int t = state.frames();
        if (video.length != t * state.videoDim() || audio.length != t * state.audioDim()) {
            throw new InvalidDataException(Path.of("features"), "a clip must be [" + t + ", " + state.videoDim()
                    + "] video and [" + t + ", " + state.audioDim() + "] audio; got " + video.length + " and "
                    + audio.length + " values");
        }
        FeatureSet v = new FeatureSet(Path.of("request"), List.of("q"), t, state.videoDim(), video, ""); // apply() copies
        FeatureSet a = new FeatureSet(Path.of("request"), List.of("q"), t, state.audioDim(), audio, "");
        float[] p = probabilities(manager, model, tokens(), state.videoNormalizer().apply(v),
                state.audioNormalizer().apply(a), new int[] {0}, List.of(q))[0];
        return top(p, state.answers(), k);
    }

    /** The {@code k} best answers of a probability row, best first; ties to the lower index. */
    static List<Answer> top(float[] p, String[] answers, int k) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> p[x] != p[y] ? Float.compare(p[y], p[x]) : Integer.compare(x, y));
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, p.length); i++) {
            out.add(new Answer(answers[order[i]], p[order[i]]));
        }
        return out;
    }

    /** Answer probabilities {@code [questions][answers]} of already checked questions about clips of a normalized set. */
    float[][] probabilities(FeatureSet video, FeatureSet audio, int[] clipOfQuestion, List<String> texts) {
        return probabilities(manager, model, tokens(), video, audio, clipOfQuestion, texts);
    }

    /**
     * Answer probabilities of questions {@code texts} about clips {@code clipOfQuestion} (rows of
     * the normalized {@code video} and {@code audio}), in batches, in a sub-manager of {@code parent}.
     */
    static float[][] probabilities(NDManager parent, VideoQuestionAnswerer model, QuestionTokens tokens, FeatureSet video,
            FeatureSet audio, int[] clipOfQuestion, List<String> texts) {
        int n = texts.size();
        float[][] out = new float[n][];
        tokens.encodeAll(texts);
        try (NDManager m = parent.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterStore ps = new ParameterStore(m, false);
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                try (NDScope s = new NDScope()) {
                    s.suppressNotUsedWarning();
                    int[] clips = Arrays.copyOfRange(clipOfQuestion, start, start + b);
                    NDArray v = clips(m, video, clips, 0);
                    NDArray a = clips(m, audio, clips, 0);
                    NDArray[] q = tokens.batch(m, texts.subList(start, start + b));
                    float[] p = model.forward(ps, v, a, q[0], q[1], false).logits().softmax(1).toFloatArray();
                    int k = model.answers();
                    for (int i = 0; i < b; i++) {
                        out[start + i] = Arrays.copyOfRange(p, i * k, (i + 1) * k);
                    }
                }
            }
        }
        return out;
    }

    /** Rows {@code clips} of a set as {@code [clips, frames, dim]}, with Gaussian noise of {@code noise} when positive. */
    static NDArray clips(NDManager m, FeatureSet set, int[] clips, double noise) {
        NDArray x = m.create(set.rows(clips), new Shape(clips.length, set.frames(), set.dim()));
        return noise > 0 ? x.add(m.randomNormal(0f, (float) noise, x.getShape(), DataType.FLOAT32)) : x;
    }
}
