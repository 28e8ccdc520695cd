package vidkit.core;

/**
 * Starts one block of a new model from another run's checkpoint (its inference checkpoint: best,
 * else last). A block is a top-level part of a model, named as the model names its children (for a
 * two-tower matcher {@code video}, {@code audio}; for a tagger {@code visualPool}, {@code moe}, ...;
 * {@code root} for the model's own parameters), or {@value ModelBlocks#WHOLE}: the whole model.
 * Every parameter's name and shape must agree, or the run fails with a {@link
 * BlockMismatchException} naming both runs and the block.
 *
 * <p>Example: {@code {"run": "runs/tagging-A", "block": "model", "into": "classHead"}} starts an
 * event localizer's clip-class head (a tagger block) from the whole trained tagger of run A.
 *
 * @param run the source run directory (required)
 * @param block the source model's block to take (required)
 * @param into the new model's block that receives it (default: the block of the same name)
 * @param freeze keep that block as it was taken: the optimizer leaves its parameters alone for the
 *     whole run, a resumed one included (default false; batch-norm statistics inside it still follow
 *     the training batches, as they do in any block run in training mode)
 */
public record InitConfig(String run, String block, String into, Boolean freeze) {
    public InitConfig {
        if (run == null || run.isBlank()) {
            throw new IllegalArgumentException("init.run: the run directory to start from is required");
        }
        if (block == null || block.isBlank()) {
            throw new IllegalArgumentException("init.block: the name of the block to take from " + run + " is required");
        }
        into = into == null ? block : into;
        freeze = freeze != null && freeze;
        if (into.isBlank()) {
            throw new IllegalArgumentException("init.into: the name of the new model's block to start must not be blank");
        }
    }
}
