package vidkit.qa;

import java.util.Map;
import vidkit.data.FeatureNormalizer;

/**
 * What a question-answering checkpoint needs besides the weights.
 *
 * @param frames seconds per clip
 * @param videoDim visual features per second
 * @param audioDim audio features per second
 * @param textModel the token encoder's id
 * @param tokenDim its token-state width
 * @param answers the answer vocabulary, in the classifier's order
 * @param knownWords the words of the training questions, sorted (a question with none of them is refused)
 * @param priorAnswers the most frequent training answer of each question type (the prior baseline;
 *     ties go to the answer first in the vocabulary)
 * @param videoNormalizer fitted on the training clips
 * @param audioNormalizer fitted on the training clips
 */
public record QaState(int frames, int videoDim, int audioDim, String textModel, int tokenDim, String[] answers,
        String[] knownWords, Map<String, String> priorAnswers, FeatureNormalizer videoNormalizer,
        FeatureNormalizer audioNormalizer) {}
