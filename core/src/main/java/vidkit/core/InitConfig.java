package vidkit.core;

/**
 * Starts one block of a new model from another run's checkpoint (its inference checkpoint: best,
 * else last). The block is a top-level part of the model, named as the model names its children
 * (for a two-tower matcher {@code video}, {@code audio}; for a tagger {@code visualPool},
 * {@code moe}, ...; {@code root} for the model's own parameters); every parameter's shape must
 * agree, or the run fails with a {@link BlockMismatchException} naming both runs and the block.
 *
 * @param run the source run directory (required)
 * @param block the block's name (required)
 */
public record InitConfig(String run, String block) {
    public InitConfig {
        if (run == null || run.isBlank()) {
            throw new IllegalArgumentException("init.run: the run directory to start from is required");
        }
        if (block == null || block.isBlank()) {
            throw new IllegalArgumentException("init.block: the name of the block to take from " + run + " is required");
        }
    }
}
