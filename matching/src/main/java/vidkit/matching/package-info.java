/**
 * The matching task: find each silent video's original audio. {@link vidkit.matching.MatchingTask}
 * plugs into the training loop ({@code "type": "matching"}, {@link vidkit.matching.MatchingConfig});
 * {@link vidkit.matching.TrainedMatcher} restores a run's model and scores video × audio matrices
 * (each clip encoded once, only the fusion per pair); {@link vidkit.matching.MatchingEvaluation}
 * evaluates runs and ensembles with the course protocol and retrieval metrics.
 */
package vidkit.matching;
