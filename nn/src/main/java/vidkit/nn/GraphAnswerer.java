package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The DualVGR-style answerer (seed 003), with the visual and the audio stream in the roles of
 * DualVGR's appearance and motion streams. Shapes ({@code B} batch, {@code T} seconds, {@code L}
 * tokens, {@code H} hidden):
 *
 * <pre>
 *   question [B, L, Dt] ─ QuestionEncoder (Linear → BiLSTM) → words [B, L, H], q [B, H]
 *   v = ReLU(Linear_H(video)) + PE,  a = ReLU(Linear_H(audio)) + PE         [B, T, H] each
 *   layer l = 1..layers (residual, then layer norm over H):
 *     v ← LN(v + G_vv(v, v | q) + G_va(v, a | q))     intra-stream and cross-stream graph
 *     a ← LN(a + G_aa(a, a | q) + G_av(a, v | q))     (QuestionGraphAttention, multi-head)
 *   (reconstruction: Linear_Dv(v), Linear_Da(a) rebuild the inputs)
 *   f = ReLU(Linear_H([v, a]));  f ← f + SelfAttention(f)              per second [B, T, H]
 *   r = Linear_1(f ⊙ q)       the question's relevance of each second           [B, T]
 *   p = softmax_T(r) · f      the question-guided clip vector                    [B, H]
 *   c = mean_T f              the whole clip                                     [B, H]
 *   α = softmax_T((W q) · PE_t / √H);  s = α · f    the second the question names  [B, H]
 *   e = Linear_1(f)           per second: is an event happening (question-independent)  [B, T]
 *   z = ReLU(Linear_H([p, q, p ⊙ q, c, c ⊙ q, s, s ⊙ q, σ(r), σ(e), α · σ(e)]))
 *   logits = Linear_A(z)                                                           [B, A]
 * </pre>
 *
 * PE is the fixed sinusoidal position of each second (Vaswani et al.), so the graphs and the
 * relevance know when a second is; {@code σ(r)} hands the classifier the per-second relevance
 * itself, which the "when" and "how long" questions read; {@code s} attends by position to the
 * second a question names ("at second 3"), which content alone cannot find; {@code e} is the event
 * profile, which the task may supervise with the annotated segments (its {@code eventWeight}).
 */
public final class GraphAnswerer extends VideoQuestionAnswerer {
    private final QuestionEncoder question;
    private final Linear videoIn;
    private final Linear audioIn;
    private final List<QuestionGraphAttention[]> graphs = new ArrayList<>();
    private final List<LayerNorm[]> norms = new ArrayList<>();
    private final Linear videoOut;
    private final Linear audioOut;
    private final Linear fuse;
    private final CrossModalAttention seconds;
    private final Linear relevance;
    private final Linear askedSecond;
    private final Linear event;
    private final Linear hiddenLayer;
    private final Linear classifier;

    GraphAnswerer(AnswererConfig config, int videoDim, int audioDim, int answers) {
        super(config, answers);
        int h = config.hidden();
        question = addChildBlock("question", new QuestionEncoder(h, config.wordDropout().floatValue()));
        videoIn = addChildBlock("videoIn", Linear.builder().setUnits(h).build());
        audioIn = addChildBlock("audioIn", Linear.builder().setUnits(h).build());
        for (int l = 0; l < config.layers(); l++) {
            graphs.add(new QuestionGraphAttention[] {
                addChildBlock("videoIntra" + l, new QuestionGraphAttention(h, config.heads())),
                addChildBlock("videoCross" + l, new QuestionGraphAttention(h, config.heads())),
                addChildBlock("audioIntra" + l, new QuestionGraphAttention(h, config.heads())),
                addChildBlock("audioCross" + l, new QuestionGraphAttention(h, config.heads()))});
            norms.add(new LayerNorm[] {addChildBlock("videoNorm" + l, LayerNorm.builder().axis(2).build()),
                addChildBlock("audioNorm" + l, LayerNorm.builder().axis(2).build())});
        }
        videoOut = config.reconstruction() ? addChildBlock("videoOut", Linear.builder().setUnits(videoDim).build()) : null;
        audioOut = config.reconstruction() ? addChildBlock("audioOut", Linear.builder().setUnits(audioDim).build()) : null;
        fuse = addChildBlock("fuse", Linear.builder().setUnits(h).build());
        seconds = addChildBlock("seconds", new CrossModalAttention(h, h));
        relevance = addChildBlock("relevance", Linear.builder().setUnits(1).build());
        askedSecond = addChildBlock("askedSecond", Linear.builder().setUnits(h).build());
        event = addChildBlock("event", Linear.builder().setUnits(1).build());
        hiddenLayer = addChildBlock("hidden", Linear.builder().setUnits(h).build());
        classifier = addChildBlock("classifier", Linear.builder().setUnits(answers).build());
    }

    /** The fixed sinusoidal position encoding {@code [1, T, H]}. */
    static NDArray positions(NDManager m, int seconds, int width) {
        float[] pe = new float[seconds * width];
        for (int t = 0; t < seconds; t++) {
            for (int i = 0; i < width; i += 2) {
                double angle = t / Math.pow(10000, i / (double) width);
                pe[t * width + i] = (float) Math.sin(angle);
                if (i + 1 < width) {
                    pe[t * width + i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return m.create(pe, new Shape(1, seconds, width));
    }

    private static NDArray apply(ParameterStore ps, Linear layer, NDArray x, boolean training) {
        return layer.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Output forward(ParameterStore ps, NDArray video, NDArray audio, NDArray tokens, NDArray tokenMask,
            boolean training) {
        double drop = config.dropout();
        NDArray q = question.encode(ps, tokens, tokenMask, training).sentence();
        NDArray pe = positions(video.getManager(), (int) video.getShape().get(1), config.hidden());
        NDArray v = Layers.dropout(Activation.relu(apply(ps, videoIn, video, training)).add(pe), drop, training);
        NDArray a = Layers.dropout(Activation.relu(apply(ps, audioIn, audio, training)).add(pe), drop, training);
        for (int l = 0; l < graphs.size(); l++) {
            QuestionGraphAttention[] g = graphs.get(l);
            NDArray v2 = v.add(g[0].update(ps, v, v, q, training)).add(g[1].update(ps, v, a, q, training));
            NDArray a2 = a.add(g[2].update(ps, a, a, q, training)).add(g[3].update(ps, a, v, q, training));
            v = norms.get(l)[0].forward(ps, new NDList(v2), training).singletonOrThrow();
            a = norms.get(l)[1].forward(ps, new NDList(a2), training).singletonOrThrow();
        }
        NDArray videoRebuilt = videoOut == null ? null : apply(ps, videoOut, v, training);
        NDArray audioRebuilt = audioOut == null ? null : apply(ps, audioOut, a, training);
        NDArray f = Activation.relu(apply(ps, fuse, NDArrays.concat(new NDList(v, a), 2), training));
        f = seconds.forward(ps, new NDList(f, f), training).singletonOrThrow();
        NDArray r = apply(ps, relevance, f.mul(q.expandDims(1)), training).squeeze(2);
        NDArray pooled = r.softmax(1).expandDims(1).batchMatMul(f).squeeze(1);
        // the second the question asks about, by position: softmax_t((Wp q) · PE_t / √H)
        NDArray at = Scalars.times(pe.squeeze(0).matMul(apply(ps, askedSecond, q, training).transpose()).transpose(),
                1 / Math.sqrt(config.hidden())).softmax(1);
        NDArray focus = at.expandDims(1).batchMatMul(f).squeeze(1);
        NDArray e = apply(ps, event, f, training).squeeze(2);
        NDArray eventProfile = Activation.sigmoid(e);
        NDArray eventAt = at.mul(eventProfile).sum(new int[] {1}, true);
        NDArray clip = f.mean(new int[] {1});
        NDArray z = Activation.relu(apply(ps, hiddenLayer, NDArrays.concat(new NDList(pooled, q, pooled.mul(q),
                clip, clip.mul(q), focus, focus.mul(q), Activation.sigmoid(r), eventProfile, eventAt), 1), training));
        NDArray logits = apply(ps, classifier, Layers.dropout(z, drop, training), training);
        return new Output(logits, videoRebuilt, audioRebuilt, e);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        long t = inputShapes[0].get(1);
        int h = config.hidden();
        Shape hs = new Shape(b, t, h);
        question.initialize(manager, dataType, inputShapes[2], inputShapes[3]);
        videoIn.initialize(manager, dataType, inputShapes[0]);
        audioIn.initialize(manager, dataType, inputShapes[1]);
        for (QuestionGraphAttention[] g : graphs) {
            for (QuestionGraphAttention x : g) {
                x.initialize(manager, dataType, hs, hs, new Shape(b, h));
            }
        }
        for (LayerNorm[] n : norms) {
            n[0].initialize(manager, dataType, hs);
            n[1].initialize(manager, dataType, hs);
        }
        if (videoOut != null) {
            videoOut.initialize(manager, dataType, hs);
            audioOut.initialize(manager, dataType, hs);
        }
        fuse.initialize(manager, dataType, new Shape(b, t, 2L * h));
        seconds.initialize(manager, dataType, hs, hs);
        relevance.initialize(manager, dataType, hs);
        askedSecond.initialize(manager, dataType, new Shape(b, h));
        event.initialize(manager, dataType, hs);
        hiddenLayer.initialize(manager, dataType, new Shape(b, 7L * h + 2 * t + 1));
        classifier.initialize(manager, dataType, new Shape(b, h));
    }
}
