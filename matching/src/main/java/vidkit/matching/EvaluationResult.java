package vidkit.matching;

import java.util.List;
import vidkit.eval.RetrievalReport;

/**
 * What {@code vidkit evaluate} writes to {@code evaluation.json}.
 *
 * @param runs the run directories (more than one: an ensemble)
 * @param checkpoints the checkpoints evaluated, one per run
 * @param data the dataset directory
 * @param subset {@code "validation split"} or {@code "all clips"}
 * @param evaluation the protocol's settings
 * @param reranker the run whose model re-ranked each query's top {@code rerankK}, or null
 * @param rerankK the short-list length when re-ranking, or null
 * @param report the metrics
 */
public record EvaluationResult(List<String> runs, List<String> checkpoints, String data, String subset,
        EvalConfig evaluation, String reranker, Integer rerankK, RetrievalReport report) {}
