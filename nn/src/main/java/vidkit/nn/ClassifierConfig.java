package vidkit.nn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The classifier at the top of a tagger, by {@code "type"}: {@code "logistic"} (one linear layer,
 * a logit per class) or {@code "moe"} ({@link MixtureOfExperts}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClassifierConfig.Logistic.class, name = "logistic"),
    @JsonSubTypes.Type(value = ClassifierConfig.Moe.class, name = "moe")
})
public sealed interface ClassifierConfig {
    /** Logistic regression per class. */
    @JsonTypeName("logistic")
    record Logistic() implements ClassifierConfig {}

    /** @param mixtures logistic experts per class besides the dummy one (default 2) */
    @JsonTypeName("moe")
    record Moe(Integer mixtures) implements ClassifierConfig {
        public Moe {
            mixtures = mixtures == null ? 2 : mixtures;
            MatchingModelConfig.require(mixtures >= 1, "model.classifier.mixtures must be >= 1");
        }
    }
}
