package vidkit.cli;

import vidkit.eval.ScoreNormalization;

/** Parsing of option values shared by several commands. */
final class Options {
    private Options() {}

    /** {@code none}, {@code dual_softmax} or {@code sinkhorn}; anything else is a bad-input error. */
    static ScoreNormalization normalization(String name) {
        return ScoreNormalization.parse(name);
    }

    /** The compute threads: {@code --threads}, else all cores. */
    static int computeThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    /** {@code video} → true, {@code audio} → false; anything else is a bad argument. */
    static boolean modality(String name) {
        return switch (name) {
            case "video" -> true;
            case "audio" -> false;
            default -> throw new IllegalArgumentException("--modality must be video or audio, got '" + name + "'");
        };
    }
}
