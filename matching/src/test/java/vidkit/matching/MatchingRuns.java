package vidkit.matching;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import vidkit.core.RunDirectory;
import vidkit.train.Trainer;

/** Matching runs through the one training loop, with the evaluation typed. */
final class MatchingRuns {
    private MatchingRuns() {}

    static Trainer.Result<EvaluationResult> train(MatchingConfig config, Path runs, String command, PrintStream out)
            throws IOException {
        return Trainer.train(new MatchingTask(), config, Trainer.Options.of(runs, command, out));
    }

    @SuppressWarnings("unchecked")
    static Trainer.Result<EvaluationResult> resume(RunDirectory run, String command, PrintStream out) throws IOException {
        return (Trainer.Result<EvaluationResult>) Trainer.resume(run, Trainer.Options.of(run.path().getParent(), command, out));
    }
}
