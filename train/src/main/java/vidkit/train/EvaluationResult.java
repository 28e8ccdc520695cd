package vidkit.train;

import vidkit.eval.RetrievalReport;

/**
 * What {@code vidkit evaluate} writes to {@code evaluation.json}.
 *
 * @param run the run directory
 * @param checkpoint the checkpoint evaluated
 * @param data the dataset directory
 * @param subset {@code "validation split"} or {@code "all clips"}
 * @param report the metrics
 */
public record EvaluationResult(String run, String checkpoint, String data, String subset, RetrievalReport report) {}
