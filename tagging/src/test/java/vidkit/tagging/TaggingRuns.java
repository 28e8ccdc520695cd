package vidkit.tagging;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import vidkit.core.RunDirectory;
import vidkit.train.Trainer;

/** Tagging runs through the one training loop, with the evaluation typed. */
final class TaggingRuns {
    private TaggingRuns() {}

    static Trainer.Result<TaggingEvaluation.Result> train(TaggingConfig config, Path runs, String command, PrintStream out)
            throws IOException {
        return Trainer.train(new TaggingTask(), config, Trainer.Options.of(runs, command, out));
    }

    @SuppressWarnings("unchecked")
    static Trainer.Result<TaggingEvaluation.Result> resume(RunDirectory run, String command, PrintStream out) throws IOException {
        return (Trainer.Result<TaggingEvaluation.Result>) Trainer.resume(run, Trainer.Options.of(run.path().getParent(), command, out));
    }
}
