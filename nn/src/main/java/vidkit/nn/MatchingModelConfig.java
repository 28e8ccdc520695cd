package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The configuration of a matching model, selected in JSON by its {@code "type"}: {@code
 * "localmix"} ({@link LocalMixConfig}), {@code "twotower"} ({@link TwoTowerConfig}) or {@code
 * "rnncnn"} ({@link RnnCnnConfig}), {@code "twostreamcnn"} ({@link TwoStreamCnnConfig}) or {@code
 * "cca"} ({@link CcaConfig}, fitted in closed form). Each record
 * validates in its constructor and holds its defaults there.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LocalMixConfig.class, name = "localmix"),
    @JsonSubTypes.Type(value = TwoTowerConfig.class, name = "twotower"),
    @JsonSubTypes.Type(value = RnnCnnConfig.class, name = "rnncnn"),
    @JsonSubTypes.Type(value = TwoStreamCnnConfig.class, name = "twostreamcnn"),
    @JsonSubTypes.Type(value = CcaConfig.class, name = "cca")
})
public sealed interface MatchingModelConfig permits LocalMixConfig, TwoTowerConfig, RnnCnnConfig, TwoStreamCnnConfig,
        CcaConfig {
    /**
     * Builds an uninitialized model for the given feature sizes; {@code classes} is the number of
     * event classes in the training labels (0 without labels), for models that use them.
     */
    MatchingModel build(int videoDim, int audioDim, int classes);

    /** The JSON type name. */
    default String typeName() {
        return getClass().getAnnotation(com.fasterxml.jackson.annotation.JsonTypeName.class) != null
                ? getClass().getAnnotation(com.fasterxml.jackson.annotation.JsonTypeName.class).value()
                : getClass().getSimpleName();
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
