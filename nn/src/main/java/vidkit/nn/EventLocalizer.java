package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Audio-visual event localization in the spirit of AVEL (Tian et al. 2018) and CMBS (Xia &amp; Zhao
 * 2022): which event a clip holds, and at which seconds it happens. Shapes:
 *
 * <pre>
 *   video [B, T, Dv] ─ Linear → ReLU → dropout ─ BiGRU (H/2 + H/2) ─┐  v [B, T, H]
 *   audio [B, T, Da] ─ Linear → ReLU → dropout ─ BiGRU (H/2 + H/2) ─┤  a [B, T, H]
 *   v' = v + attn(v → a),  a' = a + attn(a → v)         (CrossModalAttention, residual)
 *   f = ReLU(Linear_H([v', a', v' ⊙ a']))                                    f [B, T, H]
 *   eventLogits = Linear_1(f)                      per second: event vs background  [B, T]
 *   classLogits = classHead(video, audio)          the clip's event class           [B, C]
 * </pre>
 *
 * The clip-class head is a {@link Tagger} (by default the AVE NetVLAD tagger) over the clip's raw
 * streams: the per-second path (recurrence, attention) overfits the class when it also has to say
 * which seconds hold the event, so the two questions get their own blocks (named {@code classHead}
 * and the rest), each of which {@code init} can take from another run.
 *
 * A second is labelled with the clip's class when its event probability exceeds the threshold,
 * else background ({@code C}, the 29th of AVE's 28 + 1); a clip always has an event (AVE's clips
 * each contain one), so when no second passes, its most eventful second is the event. This
 * decomposition (one class per clip, a per-second event/background decision) is CMBS's.
 */
public final class EventLocalizer extends AbstractBlock {
    private final LocalizerConfig config;
    private final int classes;
    private final Linear videoIn;
    private final Linear audioIn;
    private final BidirectionalRecurrent videoContext;
    private final BidirectionalRecurrent audioContext;
    private final CrossModalAttention videoAttends;
    private final CrossModalAttention audioAttends;
    private final Linear fusion;
    private final Linear event;
    private final Tagger classHead;

    EventLocalizer(LocalizerConfig config, int videoDim, int audioDim, int classes) {
        super((byte) 1);
        if (classes < 1) {
            throw new IllegalArgumentException("localization needs labelled event classes, got " + classes);
        }
        this.config = config;
        this.classes = classes;
        int h = config.hidden();
        videoIn = addChildBlock("videoIn", Linear.builder().setUnits(h).build());
        audioIn = addChildBlock("audioIn", Linear.builder().setUnits(h).build());
        videoContext = config.recurrent()
                ? addChildBlock("videoContext", new BidirectionalRecurrent(RecurrentKind.GRU, h / 2, 1, true, 0f)) : null;
        audioContext = config.recurrent()
                ? addChildBlock("audioContext", new BidirectionalRecurrent(RecurrentKind.GRU, h / 2, 1, true, 0f)) : null;
        videoAttends = config.crossAttention() ? addChildBlock("videoAttends", new CrossModalAttention(config.attentionDim(), h))
                : null;
        audioAttends = config.crossAttention() ? addChildBlock("audioAttends", new CrossModalAttention(config.attentionDim(), h))
                : null;
        fusion = addChildBlock("fusion", Linear.builder().setUnits(h).build());
        event = addChildBlock("event", Linear.builder().setUnits(1).build());
        classHead = addChildBlock("classHead", config.classHead().build(videoDim, audioDim, classes));
    }

    /** Event classes (background not counted). */
    public int classes() {
        return classes;
    }

    public LocalizerConfig config() {
        return config;
    }

    /** Per-second event logits {@code [B, T]} and clip class logits {@code [B, C]}. */
    public record Output(NDArray eventLogits, NDArray classLogits) {}

    private NDArray stream(ParameterStore ps, Linear in, BidirectionalRecurrent context, NDArray x, boolean training) {
        NDArray h = in.forward(ps, new NDList(x), training).singletonOrThrow();
        h = Layers.dropout(ai.djl.nn.Activation.relu(h), config.dropout(), training);
        return context == null ? h : context.forward(ps, new NDList(h), training).singletonOrThrow();
    }

    /** {@code video [B, T, Dv]}, {@code audio [B, T, Da]} → the two heads. */
    public Output forward(ParameterStore ps, NDArray video, NDArray audio, boolean training) {
        NDArray v = stream(ps, videoIn, videoContext, video, training);
        NDArray a = stream(ps, audioIn, audioContext, audio, training);
        if (videoAttends != null) {
            NDArray v2 = videoAttends.forward(ps, new NDList(v, a), training).singletonOrThrow();
            NDArray a2 = audioAttends.forward(ps, new NDList(a, v), training).singletonOrThrow();
            v = v2;
            a = a2;
        }
        NDArray f = fusion.forward(ps, new NDList(NDArrays.concat(new NDList(v, a, v.mul(a)), 2)), training)
                .singletonOrThrow();
        f = Layers.dropout(ai.djl.nn.Activation.relu(f), config.dropout(), training);
        NDArray eventLogits = event.forward(ps, new NDList(f), training).singletonOrThrow().squeeze(2);
        NDArray mask = video.getManager().ones(new Shape(video.getShape().get(0), video.getShape().get(1)));
        NDArray classLogits = classHead.logits(ps, video, audio, mask, training);
        return new Output(eventLogits, classLogits);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Output o = forward(ps, inputs.get(0), inputs.get(1), training);
        return new NDList(o.eventLogits(), o.classLogits());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(1)), new Shape(inputs[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        long t = inputShapes[0].get(1);
        int h = config.hidden();
        Shape hs = new Shape(b, t, h);
        videoIn.initialize(manager, dataType, inputShapes[0]);
        audioIn.initialize(manager, dataType, inputShapes[1]);
        if (videoContext != null) {
            videoContext.initialize(manager, dataType, hs);
            audioContext.initialize(manager, dataType, hs);
        }
        if (videoAttends != null) {
            videoAttends.initialize(manager, dataType, hs, hs);
            audioAttends.initialize(manager, dataType, hs, hs);
        }
        fusion.initialize(manager, dataType, new Shape(b, t, 3L * h));
        event.initialize(manager, dataType, hs);
        classHead.initialize(manager, dataType, inputShapes[0], inputShapes[1], new Shape(b, t));
    }
}
