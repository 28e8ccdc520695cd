package vidkit.matching;

import vidkit.eval.ScoreNormalization;

/**
 * How matching runs are evaluated.
 *
 * @param subsetSize the course protocol's N (default 50)
 * @param draws random subsets averaged (default 1000)
 * @param bootstrap resamples for the 95% intervals (default 1000)
 * @param seed seed of the draws and resamples (default 2022)
 * @param normalization score normalization of each evaluated matrix: none, dual_softmax or
 *     sinkhorn (default none; see {@link ScoreNormalization})
 * @param temperature dual-softmax and Sinkhorn temperature on standardized scores (default 0.3)
 */
public record EvalConfig(Integer subsetSize, Integer draws, Integer bootstrap, Long seed,
        ScoreNormalization normalization, Double temperature) {
    public EvalConfig {
        subsetSize = subsetSize == null ? 50 : subsetSize;
        draws = draws == null ? 1000 : draws;
        bootstrap = bootstrap == null ? 1000 : bootstrap;
        seed = seed == null ? 2022L : seed;
        normalization = normalization == null ? ScoreNormalization.NONE : normalization;
        temperature = temperature == null ? 0.3 : temperature;
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("evaluation.temperature must be positive");
        }
        if (subsetSize < 2 || draws < 1 || bootstrap < 0) {
            throw new IllegalArgumentException("evaluation: subsetSize >= 2, draws >= 1, bootstrap >= 0");
        }
    }

    public static EvalConfig defaults() {
        return new EvalConfig(null, null, null, null, null, null);
    }
}
