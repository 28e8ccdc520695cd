package vidkit.matching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vidkit.core.Checkpoint;
import vidkit.core.Progress;
import vidkit.core.TrainedModel;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.eval.SimilarityMatrix;
import vidkit.nn.MatchingModel;

/**
 * A matching model with its normalizers, ready to score: built fresh for training or restored from
 * a checkpoint. Scoring is factorized: each video and each audio is encoded once (N + M encoder
 * passes, in batches), then only the fusion runs per pair, in row chunks that bound memory.
 */
public final class TrainedMatcher implements TrainedModel {
    /** Items per encoder batch and video rows per fusion chunk. */
    static final int BATCH = 256;
    private final NDManager manager;
    private final MatchingModel model;
    private final MatchingConfig config;
    private final MatchingState state;
    private final Checkpoint checkpoint;

    TrainedMatcher(NDManager manager, MatchingModel model, MatchingConfig config, MatchingState state,
            Checkpoint checkpoint) {
        this.manager = manager;
        this.model = model;
        this.config = config;
        this.state = state;
        this.checkpoint = checkpoint;
    }

    /** Builds a model for the given sizes and initializes it (Xavier weights; the caller seeds the engine). */
    static MatchingModel newModel(MatchingConfig config, NDManager manager, MatchingState state) {
        MatchingModel model = config.model().build(state.videoDim(), state.audioDim(), state.classes());
        model.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, state.frames(), state.videoDim()),
                new Shape(1, state.frames(), state.audioDim()));
        return model;
    }

    /** Restores a checkpoint file of a matching run into a new model. */
    public static TrainedMatcher load(Path checkpointFile) throws IOException {
        return load(Checkpoint.read(checkpointFile));
    }

    /** Restores a read checkpoint of a matching run into a new model. */
    public static TrainedMatcher load(Checkpoint c) throws IOException {
        return c.restore(MatchingConfig.class, MatchingState.class, TrainedMatcher::newModel, TrainedMatcher::new);
    }

    public MatchingModel model() {
        return model;
    }

    @Override
    public MatchingModel block() {
        return model;
    }

    @Override
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The run's resolved config. */
    public MatchingConfig config() {
        return config;
    }

    /** Feature sizes, classes and normalizers. */
    public MatchingState state() {
        return state;
    }

    NDManager manager() {
        return manager;
    }

    private void checkShapes(FeatureSet set, int dim, String what) throws InvalidDataException {
        if (set.dim() != dim || set.frames() != state.frames()) {
            throw new InvalidDataException(set.dir(), what + " clips are [" + set.frames() + ", " + set.dim()
                    + "] but the model was trained on [" + state.frames() + ", " + dim + "]");
        }
    }

    /** Normalized codes of every clip, {@code [clips, ...]}, in {@code m}. */
    private NDArray encode(NDManager m, ParameterStore ps, FeatureSet normalized, boolean video) {
        return encode(m, ps, normalized, video, null);
    }

    /** As above; {@code progress} (may be null) advances by clips. */
    private NDArray encode(NDManager m, ParameterStore ps, FeatureSet normalized, boolean video, Progress progress) {
        NDList parts = new NDList();
        int per = normalized.frames() * normalized.dim();
        for (int start = 0; start < normalized.size(); start += BATCH) {
            int n = Math.min(BATCH, normalized.size() - start);
            float[] chunk = new float[n * per];
            System.arraycopy(normalized.values(), start * per, chunk, 0, n * per);
            NDArray x = m.create(chunk, new Shape(n, normalized.frames(), normalized.dim()));
            parts.add(video ? model.encodeVideo(ps, x, false) : model.encodeAudio(ps, x, false));
            if (progress != null) {
                progress.step(n, "");
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    /**
     * The similarity matrix {@code [videos, audios]} of raw (unnormalized) features; rows follow
     * {@code videos.ids()}, columns {@code audios.ids()}.
     */
    public SimilarityMatrix score(FeatureSet videos, FeatureSet audios) throws InvalidDataException {
        checkShapes(videos, state.videoDim(), "video");
        checkShapes(audios, state.audioDim(), "audio");
        try (Progress progress = Progress.start("scoring", videos.size())) {
            return scoreNormalized(state.videoNormalizer().apply(videos), state.audioNormalizer().apply(audios), progress);
        }
    }

    /** As {@link #score}, for features already normalized with this model's normalizers. */
    SimilarityMatrix scoreNormalized(FeatureSet videos, FeatureSet audios) {
        return scoreNormalized(videos, audios, null);
    }

    /** As {@link #scoreNormalized(FeatureSet, FeatureSet)}; {@code progress} (may be null) advances by video rows. */
    SimilarityMatrix scoreNormalized(FeatureSet videos, FeatureSet audios, Progress progress) {
        int n = videos.size();
        int mCount = audios.size();
        float[] out = new float[Math.multiplyExact(n, mCount)];
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterStore ps = new ParameterStore(m, false);
            NDArray vc = encode(m, ps, videos, true);
            NDArray ac = encode(m, ps, audios, false);
            for (int r = 0; r < n; r += BATCH) {
                int rows = Math.min(BATCH, n - r);
                try (NDScope chunkScope = new NDScope()) {
                    chunkScope.suppressNotUsedWarning();
                    NDArray s = model.scoreMatrix(ps, vc.get(new NDIndex("{}:{}", r, r + rows)), ac);
                    float[] f = s.toType(DataType.FLOAT32, false).toFloatArray();
                    System.arraycopy(f, 0, out, r * mCount, f.length);
                    if (progress != null) {
                        progress.step(rows, "");
                    }
                }
            }
        }
        return new SimilarityMatrix(n, mCount, out);
    }

    /**
     * Per-item embeddings {@code [clips, dim]} row-major of raw features of one modality: the
     * two-tower and CCA models have them (unit vectors whose dot product ranks pairs as the model's
     * scores do).
     */
    public float[] embed(FeatureSet raw, boolean video) throws InvalidDataException {
        return embed(raw, video, true);
    }

    /**
     * As {@link #embed(FeatureSet, boolean)}; {@code showProgress} false for small calls (a server's
     * single queries). Safe to call from several threads at once (each call has its own NDManager).
     */
    public float[] embed(FeatureSet raw, boolean video, boolean showProgress) throws InvalidDataException {
        if (embeddingDim() < 0) {
            throw new IllegalArgumentException("embeddings need a twotower or cca run; this run's model is "
                    + config.model().typeName() + ", whose scores are not dot products of per-item vectors");
        }
        checkShapes(raw, video ? state.videoDim() : state.audioDim(), video ? "video" : "audio");
        FeatureSet normalized = (video ? state.videoNormalizer() : state.audioNormalizer()).apply(raw);
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope();
                Progress progress = showProgress ? Progress.start("embedding", normalized.size()) : null) {
            scope.suppressNotUsedWarning();
            return encode(m, new ParameterStore(m, false), normalized, video, progress).toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
    }

    /** The embedding size of a two-tower or CCA run; -1 for models without per-item embeddings. */
    public int embeddingDim() {
        return switch (config.model()) {
            case vidkit.nn.TwoTowerConfig t -> t.embedding();
            case vidkit.nn.CcaConfig c -> c.embeddingDim(state.frames());
            default -> -1;
        };
    }

    /**
     * Scores of chosen pairs only, for re-ranking a short list: {@code candidates[r]} are audio
     * indices for video {@code r}; returns the fused score of each. Every video and audio is encoded
     * once; the fusion runs on {@code Σ_r |candidates[r]|} pairs.
     */
    public float[][] scorePairs(FeatureSet videos, FeatureSet audios, int[][] candidates) throws InvalidDataException {
        checkShapes(videos, state.videoDim(), "video");
        checkShapes(audios, state.audioDim(), "audio");
        FeatureSet v = state.videoNormalizer().apply(videos);
        FeatureSet a = state.audioNormalizer().apply(audios);
        List<long[]> pairs = new ArrayList<>();
        for (int r = 0; r < candidates.length; r++) {
            for (int c : candidates[r]) {
                pairs.add(new long[] {r, c});
            }
        }
        float[] flat = new float[pairs.size()];
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterStore ps = new ParameterStore(m, false);
            NDArray vc = encode(m, ps, v, true);
            NDArray ac = encode(m, ps, a, false);
            for (int start = 0; start < pairs.size(); start += BATCH) {
                int n = Math.min(BATCH, pairs.size() - start);
                long[] vi = new long[n];
                long[] ai = new long[n];
                for (int k = 0; k < n; k++) {
                    vi[k] = pairs.get(start + k)[0];
                    ai[k] = pairs.get(start + k)[1];
                }
                try (NDScope chunk = new NDScope()) {
                    chunk.suppressNotUsedWarning();
                    NDArray s = model.fuse(ps, vc.get(new NDIndex("{}", m.create(vi))), ac.get(new NDIndex("{}", m.create(ai))),
                            false);
                    System.arraycopy(s.toType(DataType.FLOAT32, false).toFloatArray(), 0, flat, start, n);
                }
            }
        }
        float[][] out = new float[candidates.length][];
        int k = 0;
        for (int r = 0; r < candidates.length; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, k, k + candidates[r].length);
            k += candidates[r].length;
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
