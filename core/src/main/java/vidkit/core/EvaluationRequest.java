package vidkit.core;

import java.util.List;

/**
 * What {@code vidkit evaluate} asks of a task. A task refuses, with a message, the options that
 * mean nothing to it (a tagger is evaluated alone; score normalization and re-ranking are the
 * matching task's).
 *
 * @param runs one run, or several for an ensemble
 * @param data other data to evaluate on (all of it), or {@code null} for the first run's validation split
 * @param normalization a score normalization name, or {@code null} for the run's config
 * @param temperature its temperature, or {@code null}
 * @param rerank a run whose model re-orders each query's short list, or {@code null}
 * @param rerankK the short list's length
 */
public record EvaluationRequest(List<RunDirectory> runs, String data, String normalization, Double temperature,
        RunDirectory rerank, int rerankK) {
    public EvaluationRequest {
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("evaluate needs at least one run");
        }
        runs = List.copyOf(runs);
    }

    /** One run on its validation split, with its config's settings. */
    public static EvaluationRequest of(RunDirectory run) {
        return new EvaluationRequest(List.of(run), null, null, null, null, 10);
    }

    /** Whether only plain options are set (one run, no normalization, temperature or re-ranking). */
    public boolean plain() {
        return runs.size() == 1 && normalization == null && temperature == null && rerank == null;
    }

    /**
     * The one run of a task whose runs are evaluated alone (not matching): the ensemble,
     * normalization and re-ranking options are refused with a message naming {@code task}.
     */
    public RunDirectory single(String task) {
        if (!plain()) {
            throw new IllegalArgumentException("a " + task + " run is evaluated alone: --normalization, --temperature, "
                    + "--rerank and several --run apply to matching runs");
        }
        return runs.get(0);
    }
}
