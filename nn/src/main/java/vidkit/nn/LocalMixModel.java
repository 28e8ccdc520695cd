package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seed 000's cross model, "MLP with hard attention", factorized for retrieval.
 *
 * <ul>
 *   <li>Video code {@code [batch, frames, hidden]}: local layers ({@link TemporalConv}, kernel 3,
 *       two stacked: receptive field 5), an activation between layers.
 *   <li>Audio code {@code [batch, frames, hidden]}: the same local layers, plus a stream of a
 *       bidirectional GRU (3 layers in the seed) and a 2-layer MLP shared over time; the two audio
 *       streams are summed.
 *   <li>Fusion per pair: {@code h_t = act(v_t + a_t)}, a linear map to the per-time-step match
 *       logit (plus, with {@link LocalMixConfig#bilinear}, a product term {@code uᵀ(v_t ⊙ a_t)/√hidden}), {@code p_t = sigmoid(logit_t)} (equal to the seed's 2-way softmax over
 *       match / no match), max-pool over chunks of {@link LocalMixConfig#chunk} steps (the last chunk
 *       may be shorter), and the mean of the chunk maxima ("voting") is the score in (0, 1).
 * </ul>
 *
 * <p>Rule chosen where the seed is silent: the summed streams pass through the activation before
 * the logit layer; without it the logit would be {@code f(v_t) + g(a_t)}, which ranks every video's
 * audios alike. Even with it, an additive head is monotone in each audio feature for every video,
 * so videos barely rank audios differently; the product term gives a direct similarity and is on by
 * default. Loss: focal loss (γ = 2) on the voted probability, with {@code
 * negativesPerPositive} negatives per true pair made by pairing each video with another clip's
 * audio of the same batch. Labels are not used.
 */
public final class LocalMixModel extends MatchingModel {
    private final LocalMixConfig config;
    private final List<TemporalConv> videoLocal = new ArrayList<>();
    private final List<TemporalConv> audioLocal = new ArrayList<>();
    private final BidirectionalRecurrent audioRecurrent;
    private final Linear mlp1;
    private final Linear mlp2;
    private final Linear head;
    private final Linear product;

    LocalMixModel(LocalMixConfig config) {
        this.config = config;
        for (int i = 0; i < config.localLayers(); i++) {
            videoLocal.add(addChildBlock("videoLocal" + i, new TemporalConv(config.kernel(), config.hidden())));
            audioLocal.add(addChildBlock("audioLocal" + i, new TemporalConv(config.kernel(), config.hidden())));
        }
        if (config.recurrentHidden() > 0) {
            audioRecurrent = addChildBlock("audioRecurrent", new BidirectionalRecurrent(RecurrentKind.GRU,
                    config.recurrentHidden(), config.recurrentLayers(), true, 0f));
            mlp1 = addChildBlock("audioMlp1", Linear.builder().setUnits(config.hidden()).build());
            mlp2 = addChildBlock("audioMlp2", Linear.builder().setUnits(config.hidden()).build());
        } else {
            audioRecurrent = null;
            mlp1 = null;
            mlp2 = null;
        }
        head = addChildBlock("head", Linear.builder().setUnits(1).build());
        product = config.bilinear()
                ? addChildBlock("product", Linear.builder().setUnits(1).optBias(false).build())
                : null;
    }

    private NDArray dropout(NDArray x, boolean training) {
        return Layers.dropout(x, config.dropout(), training);
    }

    private NDArray local(List<TemporalConv> layers, ParameterStore ps, NDArray x, boolean training) {
        for (int i = 0; i < layers.size(); i++) {
            if (i > 0) {
                x = dropout(config.activation().apply(x), training);
            }
            x = layers.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return x;
    }

    @Override
    public NDArray encodeVideo(ParameterStore ps, NDArray x, boolean training) {
        return local(videoLocal, ps, dropout(x, training), training);
    }

    @Override
    public NDArray encodeAudio(ParameterStore ps, NDArray x, boolean training) {
        x = dropout(x, training);
        NDArray code = local(audioLocal, ps, x, training);
        if (audioRecurrent != null) {
            NDArray r = audioRecurrent.forward(ps, new NDList(x), training).singletonOrThrow();
            r = config.activation().apply(mlp1.forward(ps, new NDList(r), training).singletonOrThrow());
            r = mlp2.forward(ps, new NDList(dropout(r, training)), training).singletonOrThrow();
            code = code.add(r);
        }
        return code;
    }

    /**
     * Per-time-step match probabilities {@code [..., frames]} from codes {@code [..., frames, hidden]}
     * that broadcast against each other.
     */
    private NDArray stepProbabilities(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        NDArray h = dropout(config.activation().apply(v.add(a)), training);
        NDArray logit = head.forward(ps, new NDList(h), training).singletonOrThrow();
        if (product != null) {
            // scaled by 1/sqrt(hidden) so the sum of products starts at the scale of the other term
            NDArray va = Scalars.times(v.mul(a), (float) (1 / Math.sqrt(config.hidden())));
            logit = logit.add(product.forward(ps, new NDList(va), training).singletonOrThrow());
        }
        return ai.djl.nn.Activation.sigmoid(logit.squeeze(-1));
    }

    /** Chunk max-pool over the last axis (frames) then the mean of the chunk maxima. */
    NDArray vote(NDArray p) {
        long frames = p.getShape().get(p.getShape().dimension() - 1);
        NDList maxima = new NDList();
        for (long s = 0; s < frames; s += config.chunk()) {
            long e = Math.min(frames, s + config.chunk());
            maxima.add(p.get(new NDIndex("..., {}:{}", s, e)).max(new int[] {-1}));
        }
        return NDArrays.stack(maxima, -1).mean(new int[] {-1});
    }

    @Override
    public NDArray fuse(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        return vote(stepProbabilities(ps, v, a, training));
    }

    /** Elements of the {@code [rows, m, frames, hidden]} fusion tensor per chunk: 16 MiB of float32. */
    private static final long FUSION_ELEMENTS = 1L << 22;

    /**
     * All pairs, {@code [n, frames, hidden] × [m, frames, hidden] → [n, m]}, equal to {@link #fuse}
     * on every pair (to about 1e-6). For tanh-type activations it runs {@link LocalMixKernel}: {@code
     * c·tanh(s(v + a))} is {@code tanh(s·v + s·a)} with the codes scaled once per item and {@code c}
     * folded into the head weights, and the product term {@code uᵀ(v_t ⊙ a_t)/√H} is {@code (v_t ⊙
     * u/√H)·a_t}; the kernel uses {@link #scoringThreads()} threads. Other activations broadcast
     * tensors in chunks.
     */
    @Override
    public NDArray scoreMatrix(ParameterStore ps, NDArray v, NDArray a) {
        long n = v.getShape().get(0);
        long m = a.getShape().get(0);
        int frames = (int) v.getShape().get(1);
        int hidden = (int) v.getShape().get(2);
        boolean tanhLike = config.activation() == Activation.SCALED_TANH || config.activation() == Activation.TANH;
        if (!tanhLike) {
            long rows = Math.max(1, FUSION_ELEMENTS / ((long) frames * hidden * Math.max(1, m)));
            NDList out = new NDList();
            for (long r = 0; r < n; r += rows) {
                NDArray vChunk = v.get(new NDIndex("{}:{}", r, Math.min(n, r + rows)));
                out.add(vote(stepProbabilities(ps, vChunk.expandDims(1), a.expandDims(0), false)));
            }
            return out.size() == 1 ? out.get(0) : NDArrays.concat(out, 0);
        }
        float inner = config.activation() == Activation.SCALED_TANH ? 2f / 3f : 1f;
        float outer = config.activation() == Activation.SCALED_TANH ? 1.7159f : 1f;
        var device = v.getDevice();
        float[] w = ps.getValue(head.getParameters().get("weight"), device, false).mul(outer).toFloatArray(); // [H]
        float b = ps.getValue(head.getParameters().get("bias"), device, false).toFloatArray()[0];
        float[] videoProduct = null;
        float[] audio = null;
        if (product != null) {
            NDArray u = Scalars.times(ps.getValue(product.getParameters().get("weight"), device, false), (float) (1 / Math.sqrt(config.hidden()))).reshape(1, 1, -1); // [1, 1, H]
            videoProduct = v.mul(u).toFloatArray();
            audio = a.toFloatArray();
        }
        float[] s = LocalMixKernel.scores(v.mul(inner).toFloatArray(), videoProduct, a.mul(inner).toFloatArray(), audio,
                (int) n, (int) m, frames, hidden, w, b, config.chunk(), scoringThreads());
        return v.getManager().create(s, new Shape(n, m));
    }

    /**
     * Threads of the Java scoring kernel: the {@code ai.djl.pytorch.num_threads} setting that {@code
     * vidkit --threads} sets for the engine, so one option bounds all compute; all cores without it.
     */
    static int scoringThreads() {
        int configured = Integer.getInteger("ai.djl.pytorch.num_threads", 0);
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray videoBatch, NDArray audioBatch, NDArray labels, Random random) {
        return pairClassificationLoss(ps, videoBatch, audioBatch, config.negativesPerPositive(), config.focalGamma(),
                random);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        initLocal(videoLocal, manager, dataType, inputShapes[0]);
        Shape s = initLocal(audioLocal, manager, dataType, inputShapes[1]);
        if (audioRecurrent != null) {
            audioRecurrent.initialize(manager, dataType, inputShapes[1]);
            Shape r = audioRecurrent.getOutputShapes(new Shape[] {inputShapes[1]})[0];
            mlp1.initialize(manager, dataType, r);
            mlp2.initialize(manager, dataType, s);
        }
        head.initialize(manager, dataType, s);
        if (product != null) {
            product.initialize(manager, dataType, s);
        }
    }

    private static Shape initLocal(List<TemporalConv> layers, NDManager manager, DataType dataType, Shape s) {
        for (TemporalConv layer : layers) {
            layer.initialize(manager, dataType, s);
            s = layer.getOutputShapes(new Shape[] {s})[0];
        }
        return s;
    }
}
