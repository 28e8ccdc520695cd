package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * How a tagger pools each modality's frames {@code [batch, frames, dim]} (with a mask of real
 * frames) into one vector, by {@code "type"}. Every pooling ignores masked (padding) frames.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PoolingConfig.Mean.class, name = "mean"),
    @JsonSubTypes.Type(value = PoolingConfig.NetVlad.class, name = "netvlad"),
    @JsonSubTypes.Type(value = PoolingConfig.NextVlad.class, name = "nextvlad"),
    @JsonSubTypes.Type(value = PoolingConfig.Recurrent.class, name = "recurrent"),
    @JsonSubTypes.Type(value = PoolingConfig.NetFv.class, name = "netfv"),
    @JsonSubTypes.Type(value = PoolingConfig.SoftDbow.class, name = "softdbow"),
    @JsonSubTypes.Type(value = PoolingConfig.Dbof.class, name = "dbof")
})
public sealed interface PoolingConfig {
    /** Builds the pooling block for one modality of {@code inDim} features. */
    TemporalPooling build(int inDim);

    /** The masked mean of the frames: {@code [batch, dim]}. */
    @JsonTypeName("mean")
    record Mean() implements PoolingConfig {
        @Override
        public TemporalPooling build(int inDim) {
            return new MeanPooling(inDim);
        }
    }

    /**
     * NetVLAD (Arandjelović et al. 2016) and its seed-002 variants: soft assignment of each frame to
     * {@code clusters} learned centres, residuals summed per cluster, intra-normalized and
     * L2-normalized: {@code [batch, clusters·dim]}.
     *
     * @param clusters cluster centres (default 32)
     * @param residuals {@code true} (default): NetVLAD, aggregating {@code x − c_k}; {@code false}:
     *     NetRVLAD, aggregating {@code x} (no centres)
     * @param projection when positive, frames are first projected to this width (default 0 = no)
     */
    @JsonTypeName("netvlad")
    record NetVlad(Integer clusters, Boolean residuals, Integer projection) implements PoolingConfig {
        public NetVlad {
            clusters = clusters == null ? 32 : clusters;
            residuals = residuals == null ? Boolean.TRUE : residuals;
            projection = projection == null ? 0 : projection;
            MatchingModelConfig.require(clusters >= 1 && projection >= 0, "model.pooling: clusters >= 1, projection >= 0");
        }

        @Override
        public TemporalPooling build(int inDim) {
            return new NetVladPooling(inDim, clusters, residuals, projection);
        }
    }

    /**
     * NeXtVLAD (Lin et al. 2018): frames expanded by {@code expansion}, split into {@code groups}
     * lower-dimensional groups with their own attention, VLAD over the groups: {@code [batch,
     * clusters·expansion·dim/groups]}.
     *
     * @param clusters (default 32)
     * @param expansion (default 2)
     * @param groups (default 8; must divide expansion·dim)
     */
    @JsonTypeName("nextvlad")
    record NextVlad(Integer clusters, Integer expansion, Integer groups) implements PoolingConfig {
        public NextVlad {
            clusters = clusters == null ? 32 : clusters;
            expansion = expansion == null ? 2 : expansion;
            groups = groups == null ? 8 : groups;
            MatchingModelConfig.require(clusters >= 1 && expansion >= 1 && groups >= 1,
                    "model.pooling: clusters, expansion and groups must be >= 1");
        }

        @Override
        public TemporalPooling build(int inDim) {
            return new NextVladPooling(inDim, clusters, expansion, groups);
        }
    }

    /**
     * A one-direction recurrent layer over the real frames; the state after the last real frame:
     * {@code [batch, hidden]}.
     *
     * @param kind gru (default) or lstm
     * @param hidden state width (default 256)
     */
    @JsonTypeName("recurrent")
    record Recurrent(RecurrentKind kind, Integer hidden) implements PoolingConfig {
        public Recurrent {
            kind = kind == null ? RecurrentKind.GRU : kind;
            hidden = hidden == null ? 256 : hidden;
            MatchingModelConfig.require(hidden >= 1, "model.pooling.hidden must be >= 1");
        }

        @Override
        public TemporalPooling build(int inDim) {
            return new RecurrentPooling(kind, hidden);
        }
    }

    /** NetFV ({@link NetFvPooling}): {@code [batch, 2·clusters·dim]}. @param clusters (default 16) */
    @JsonTypeName("netfv")
    record NetFv(Integer clusters) implements PoolingConfig {
        public NetFv {
            clusters = clusters == null ? 16 : clusters;
            MatchingModelConfig.require(clusters >= 1, "model.pooling.clusters must be >= 1");
        }

        @Override
        public TemporalPooling build(int inDim) {
            return new NetFvPooling(inDim, clusters);
        }
    }

    /** Soft-DBoW ({@link SoftDbowPooling}): {@code [batch, clusters]}. @param clusters (default 256) */
    @JsonTypeName("softdbow")
    record SoftDbow(Integer clusters) implements PoolingConfig {
        public SoftDbow {
            clusters = clusters == null ? 256 : clusters;
            MatchingModelConfig.require(clusters >= 1, "model.pooling.clusters must be >= 1");
        }

        @Override
        public TemporalPooling build(int inDim) {
            return new SoftDbowPooling(clusters);
        }
    }

    /** DBoF ({@link DbofPooling}): {@code [batch, clusters]}. @param clusters (default 1024) */
    @JsonTypeName("dbof")
    record Dbof(Integer clusters) implements PoolingConfig {
        public Dbof {
            clusters = clusters == null ? 1024 : clusters;
            MatchingModelConfig.require(clusters >= 1, "model.pooling.clusters must be >= 1");
        }

        @Override
        public TemporalPooling build(int inDim) {
            return new DbofPooling(clusters);
        }
    }
}
