package vidkit.eval;

/**
 * Retrieval metrics for one direction (video→audio or audio→video) over every query of a set.
 *
 * @param queries number of queries
 * @param recallAt1 share of queries whose true item ranks first
 * @param recallAt5 share ranking in the top 5
 * @param recallAt10 share ranking in the top 10
 * @param medianRank median 1-based rank of the true item (mean of the two middle ranks when even)
 * @param meanReciprocalRank mean of 1/rank
 */
public record DirectionMetrics(int queries, Estimate recallAt1, Estimate recallAt5, Estimate recallAt10,
        Estimate medianRank, Estimate meanReciprocalRank) {}
