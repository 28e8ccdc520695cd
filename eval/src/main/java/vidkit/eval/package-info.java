/**
 * Evaluation: the field's metrics, computed from scores alone (no model code here).
 *
 * <p>{@link vidkit.eval.Retrieval} turns an N×N similarity matrix (rows videos, columns audios, the
 * true pair on the diagonal) into the course protocol (top-k accuracy on random N-way subsets) and
 * whole-set retrieval metrics (R@K, median rank, MRR) in both directions with bootstrap intervals.
 */
package vidkit.eval;
