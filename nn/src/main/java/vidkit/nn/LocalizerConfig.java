package vidkit.nn;

/**
 * The event localizer ({@link EventLocalizer}): per-second event detection and clip event class on
 * AVE-style clips. Defaults live here.
 *
 * @param hidden width of each stream after its input projection (default 128; even)
 * @param recurrent temporal context: a bidirectional GRU per stream (default true)
 * @param crossAttention each stream attends over the other (default true)
 * @param attentionDim query/key width of the cross attention (default 64)
 * @param dropout on the projected streams and the fused states in training (default 0.3)
 * @param eventWeight weight of the per-second event/background loss beside the clip class loss (default 1)
 * @param eventThreshold a second is an event when its event probability exceeds this (default 0.5)
 * @param classHead the clip-class head, a {@link Tagger} over the clip's raw streams (default: the
 *     AVE tagger of {@code configs/ave-tagger.json} with NetVLAD pooling: NetVLAD per modality, FC 256 +
 *     batch norm + ReLU6, input Context Gating, MoE with 2 mixtures, dropout 0.5)
 */
public record LocalizerConfig(Integer hidden, Boolean recurrent, Boolean crossAttention, Integer attentionDim,
        Double dropout, Double eventWeight, Double eventThreshold, TaggerConfig classHead) {
    public LocalizerConfig {
        hidden = hidden == null ? 128 : hidden;
        recurrent = recurrent == null ? Boolean.TRUE : recurrent;
        crossAttention = crossAttention == null ? Boolean.TRUE : crossAttention;
        attentionDim = attentionDim == null ? 64 : attentionDim;
        dropout = dropout == null ? 0.3 : dropout;
        eventWeight = eventWeight == null ? 1.0 : eventWeight;
        eventThreshold = eventThreshold == null ? 0.5 : eventThreshold;
        classHead = classHead == null ? new TaggerConfig(new PoolingConfig.NetVlad(null, null, null), null, 256, true, null,
                null, 0.5, null) : classHead;
        MatchingModelConfig.require(hidden >= 2 && hidden % 2 == 0, "model.hidden must be even and >= 2, got " + hidden);
        MatchingModelConfig.require(attentionDim >= 1, "model.attentionDim must be >= 1");
        MatchingModelConfig.require(dropout >= 0 && dropout < 1, "model.dropout must be in [0, 1)");
        MatchingModelConfig.require(eventWeight >= 0, "model.eventWeight must be >= 0");
        MatchingModelConfig.require(eventThreshold > 0 && eventThreshold < 1, "model.eventThreshold must be in (0, 1)");
    }

    public static LocalizerConfig defaults() {
        return new LocalizerConfig(null, null, null, null, null, null, null, null);
    }

    /** Builds an uninitialized localizer for these feature sizes and event classes. */
    public EventLocalizer build(int videoDim, int audioDim, int classes) {
        return new EventLocalizer(this, videoDim, audioDim, classes);
    }
}
