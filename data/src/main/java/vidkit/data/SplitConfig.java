package vidkit.data;

/**
 * How to split a dataset into training and validation clips. Defaults live here only.
 *
 * @param validationFraction share of groups per stratum held out (default 0.2); ignored with folds
 * @param seed shuffling seed (default 1)
 * @param stratify keep each label's share equal on both sides (default true; needs labels.csv)
 * @param grouped keep clips of one source video ({@code youtube_id}) on one side (default true)
 * @param folds with {@code folds >= 2}, k-fold: validation is fold {@link #fold} (default 0 = off)
 * @param fold the held-out fold, {@code 0..folds-1} (default 0)
 */
public record SplitConfig(Double validationFraction, Long seed, Boolean stratify, Boolean grouped,
        Integer folds, Integer fold) {
    public SplitConfig {
        validationFraction = validationFraction == null ? 0.2 : validationFraction;
        seed = seed == null ? 1L : seed;
        stratify = stratify == null ? Boolean.TRUE : stratify;
        grouped = grouped == null ? Boolean.TRUE : grouped;
        folds = folds == null ? 0 : folds;
        fold = fold == null ? 0 : fold;
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("split.validationFraction must be in (0, 1), got " + validationFraction);
        }
        if (folds == 1 || folds < 0) {
            throw new IllegalArgumentException("split.folds must be 0 (off) or >= 2, got " + folds);
        }
        if (folds >= 2 && (fold < 0 || fold >= folds)) {
            throw new IllegalArgumentException("split.fold must be in 0.." + (folds - 1) + ", got " + fold);
        }
    }

    /** All defaults: a seeded, stratified, grouped 80/20 split. */
    public static SplitConfig defaults() {
        return new SplitConfig(null, null, null, null, null, null);
    }
}
