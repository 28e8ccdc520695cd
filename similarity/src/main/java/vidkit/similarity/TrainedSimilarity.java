package vidkit.similarity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import vidkit.core.Checkpoint;
import vidkit.core.TrainedModel;
import vidkit.data.TaggingDataset;
import vidkit.core.RunDirectory;
import vidkit.nn.BlendModel;
import vidkit.nn.SimilarityModel;

/** A similarity run's model restored from a checkpoint: video embeddings for evaluation, libraries and teachers. */
public final class TrainedSimilarity implements TrainedModel {
    static final int BATCH = 512;

    private final NDManager manager;
    private final Block model;
    /** A blend's member models (open while this one is), else empty. */
    private java.util.List<TrainedSimilarity> members = java.util.List.of();
    private final SimilarityConfig config;
    private final SimilarityState state;
    private final Checkpoint checkpoint;
    /** The text stream's title vectors, or null without one. */
    private TitleVectors titles;

    private TrainedSimilarity(NDManager manager, Block model, SimilarityConfig config, SimilarityState state,
            Checkpoint checkpoint) {
        this.manager = manager;
        this.model = model;
        this.config = config;
        this.state = state;
        this.checkpoint = checkpoint;
    }

    /** The stage's model, initialized: a {@link SimilarityModel}, or for a blend a {@link BlendModel}. */
    static Block newModel(SimilarityConfig config, NDManager manager, SimilarityState state) {
        if (config.stage().equals("blend")) {
            BlendModel b = new BlendModel(config.model().hidden(), config.model().embedding(), config.model().dropout(),
                    state.blendResidualMembers());
            b.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, state.blendInput()));
            return b;
        }
        SimilarityModel m = config.model().build(state.visualDim(), state.audioDim(), state.textDim(),
                state.tagClasses().length);
        List<Shape> inputs = new java.util.ArrayList<>();
        if (config.frameLevel()) {
            inputs.addAll(List.of(new Shape(1, 2, state.visualDim()), new Shape(1, 2, state.audioDim()), new Shape(1, 2)));
        } else {
            inputs.addAll(List.of(new Shape(1, state.visualDim()), new Shape(1, state.audioDim())));
        }
        if (state.textDim() > 0) {
            inputs.add(new Shape(1, state.textDim()));
        }
        m.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, inputs.toArray(new Shape[0]));
        return m;
    }

    public static TrainedSimilarity load(Path checkpointFile) throws IOException {
        return load(Checkpoint.read(checkpointFile));
    }

    public static TrainedSimilarity load(Checkpoint c) throws IOException {
        return load(c, null);
    }

    /**
     * {@link #load(Checkpoint)} with the run's titles already encoded (its training job's), or null to
     * read and encode them here when the model has a text stream.
     */
    static TrainedSimilarity load(Checkpoint c, TitleVectors encodedTitles) throws IOException {
        TrainedSimilarity t = c.restore(SimilarityConfig.class, SimilarityState.class, TrainedSimilarity::newModel,
                TrainedSimilarity::new);
        try {
            t.members = openMembers(t.config);
            if (t.state.textDim() > 0) {
                t.titles = encodedTitles != null ? encodedTitles : TitleVectors.encode(Path.of(t.config.titles()), null,
                        vidkit.text.TextModel.of(t.config.textModel()), Runtime.getRuntime().availableProcessors());
            }
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** A blend's members, opened from their runs' inference checkpoints (none for other stages). */
    static java.util.List<TrainedSimilarity> openMembers(SimilarityConfig config) throws IOException {
        java.util.List<TrainedSimilarity> out = new java.util.ArrayList<>();
        try {
            for (String m : config.members()) {
                out.add(load(RunDirectory.open(Path.of(m)).inferenceCheckpoint()));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            out.forEach(TrainedSimilarity::close);
            throw e;
        }
    }

    /** The members' embeddings of {@code rows}, concatenated: {@code [rows, Σ member dims]}. */
    static float[] memberEmbeddings(java.util.List<TrainedSimilarity> members, TaggingDataset data, int[] rows) {
        int total = members.stream().mapToInt(TrainedSimilarity::embeddingDim).sum();
        float[] out = new float[rows.length * total];
        int at = 0;
        for (TrainedSimilarity m : members) {
            int d = m.embeddingDim();
            float[] e = m.embed(data, rows);
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(e, i * d, out, i * total + at, d);
            }
            at += d;
        }
        return out;
    }

    public SimilarityConfig config() {
        return config;
    }

    public int embeddingDim() {
        return config.model().embedding();
    }

    /** Unit embeddings {@code [videos, E]} of the videos {@code rows} of {@code data} (in that order). */
    public float[] embed(TaggingDataset data, int[] rows) {
        if (model instanceof BlendModel b) {
            return embedBlend(manager, b, memberEmbeddings(members, data, rows), rows.length, config.model().embedding());
        }
        return embed(manager, (SimilarityModel) model, data, titles, rows, config.model().embedding());
    }

    /** Whether the model pools frames (a frame-level run; a blend: its first member). */
    public boolean frameLevel() {
        return model instanceof BlendModel ? members.get(0).frameLevel() : config.frameLevel();
    }

    /** The video-level inputs the model takes: {@code [visualDim, audioDim]} (a blend: its first member's). */
    public int[] inputDims() {
        if (model instanceof BlendModel) {
            return members.get(0).inputDims();
        }
        return new int[] {state.visualDim(), state.audioDim()};
    }

    /**
     * Unit embeddings {@code [n, E]} of raw video-level features {@code visual [n, Dv]} and {@code
     * audio [n, Da]} of videos outside any dataset (a server's queries): no titles, so a model with a
     * text stream sees zeros there, the rule for a video without a title.
     */
    public float[] embedFeatures(float[] visual, float[] audio, int n) {
        int[] dims = inputDims();
        if (visual.length != n * dims[0] || audio.length != n * dims[1]) {
            throw new IllegalArgumentException("expected " + n + " × " + dims[0] + " visual and " + n + " × " + dims[1]
                    + " audio values, got " + visual.length + " and " + audio.length);
        }
        List<String> ids = new java.util.ArrayList<>();
        List<float[]> v = new java.util.ArrayList<>();
        List<float[]> a = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("query-" + i);
            v.add(java.util.Arrays.copyOfRange(visual, i * dims[0], (i + 1) * dims[0]));
            a.add(java.util.Arrays.copyOfRange(audio, i * dims[1], (i + 1) * dims[1]));
        }
        int[] frames = new int[n];
        java.util.Arrays.fill(frames, 1);
        TaggingDataset queries = new TaggingDataset("queries", ids, new int[n][0], frames, dims[0], dims[1], v, a,
                vidkit.data.Vocabulary.unnamed(1), null, false);
        return embed(queries, java.util.stream.IntStream.range(0, n).toArray());
    }

    /** A blend's unit embeddings {@code [n, dim]} of concatenated member embeddings {@code inputs [n, width]}. */
    static float[] embedBlend(NDManager parent, BlendModel model, float[] inputs, int n, int dim) {
        int width = inputs.length / Math.max(1, n);
        float[] out = new float[n * dim];
        ParameterStore ps = new ParameterStore(parent, false);
        for (int from = 0; from < n; from += BATCH) {
            int b = Math.min(BATCH, n - from);
            try (NDManager m = parent.newSubManager()) {
                NDArray x = m.create(java.util.Arrays.copyOfRange(inputs, from * width, (from + b) * width),
                        new Shape(b, width));
                float[] e = model.embed(ps, x, false).toFloatArray();
                System.arraycopy(e, 0, out, from * dim, e.length);
            }
        }
        return out;
    }

    /** {@link #embed} with any model (the one being trained, in inference mode). */
    static float[] embed(NDManager parent, SimilarityModel model, TaggingDataset data, TitleVectors titles, int[] rows,
            int dim) {
        float[] out = new float[rows.length * dim];
        ParameterStore ps = new ParameterStore(parent, false);
        for (int from = 0; from < rows.length; from += BATCH) {
            int n = Math.min(BATCH, rows.length - from);
            try (NDManager m = parent.newSubManager()) {
                float[] e = model.embed(ps, batch(m, data, titles, rows, from, n, model.frameLevel()), false).toFloatArray();
                System.arraycopy(e, 0, out, from * dim, e.length);
            }
        }
        return out;
    }

    /**
     * The model's inputs for {@code rows[from, from + n)}: video level {@code visual [n, Dv]}, {@code
     * audio [n, Da]} (a frame-level video's mean frame); frame level {@code visual [n, T, Dv]}, {@code
     * audio [n, T, Da]}, {@code mask [n, T]} (T the longest of these videos); then, with {@code
     * titles}, the title vectors {@code text [n, Dt]}.
     */
    static NDList batch(NDManager m, TaggingDataset data, TitleVectors titles, int[] rows, int from, int n,
            boolean frameLevel) {
        int dv = data.visualDim();
        int da = data.audioDim();
        NDList x;
        if (frameLevel) { // padded to the batch's longest video, with a mask of its real frames
            TaggingDataset.PaddedFrames p = data.padded(java.util.Arrays.copyOfRange(rows, from, from + n));
            x = new NDList(m.create(p.visual(), new Shape(n, p.frames(), dv)), m.create(p.audio(),
                    new Shape(n, p.frames(), da)), m.create(p.mask(), new Shape(n, p.frames())));
        } else {
            float[] v = new float[n * dv];
            float[] a = new float[n * da];
            for (int i = 0; i < n; i++) {
                System.arraycopy(mean(data.visual().get(rows[from + i]), data.frames()[rows[from + i]], dv), 0, v, i * dv, dv);
                System.arraycopy(mean(data.audio().get(rows[from + i]), data.frames()[rows[from + i]], da), 0, a, i * da, da);
            }
            x = new NDList(m.create(v, new Shape(n, dv)), m.create(a, new Shape(n, da)));
        }
        if (titles != null) {
            int dt = titles.dim();
            float[] t = new float[n * dt];
            for (int i = 0; i < n; i++) {
                titles.copy(data.ids().get(rows[from + i]), t, i * dt);
            }
            x.add(m.create(t, new Shape(n, dt)));
        }
        return x;
    }

    /** The mean over frames of {@code [frames, dim]} (the features themselves at video level). */
    static float[] mean(float[] x, int frames, int dim) {
        if (frames == 1) {
            return x;
        }
        float[] out = new float[dim];
        for (int t = 0; t < frames; t++) {
            for (int d = 0; d < dim; d++) {
                out[d] += x[t * dim + d] / frames;
            }
        }
        return out;
    }


    @Override
    public Block block() {
        return model;
    }

    @Override
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    @Override
    public void close() {
        members.forEach(TrainedSimilarity::close);
        manager.close();
    }
}
