package vidkit.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vidkit.data.AtomicFiles;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.eval.Ensemble;
import vidkit.eval.Retrieval;
import vidkit.eval.RetrievalReport;
import vidkit.eval.SimilarityMatrix;

/**
 * Evaluates a run's best checkpoint, or an ensemble of runs: the course protocol and whole-set
 * retrieval metrics. For one run it writes {@code evaluation.json}, the evaluated similarity matrix
 * {@code evaluation-similarity.npy} (rows videos, columns audios, before normalization) and its clip
 * ids {@code evaluation-ids.txt}; for an ensemble the same files named {@code evaluation-ensemble*}
 * into the first run.
 */
public final class MatchingEvaluation {
    private MatchingEvaluation() {}

    public static EvaluationResult evaluate(RunDirectory run, Path data, PrintStream out) throws IOException {
        return evaluate(List.of(run), data, null, out);
    }

    /**
     * Scores the pairs with every run (their matrices averaged by {@link Ensemble#average}) and
     * evaluates. With {@code data == null}, the first run's dataset restricted to its validation
     * split, which every run must share; otherwise every clip of {@code data}. {@code evaluation}
     * overrides the first run's evaluation settings when not null.
     */
    public static EvaluationResult evaluate(List<RunDirectory> runs, Path data, EvalConfig evaluation, PrintStream out)
            throws IOException {
        RunDirectory first = runs.get(0);
        PairedDataset set = null;
        String subset = null;
        Path dataDir = null;
        EvalConfig e = evaluation;
        List<SimilarityMatrix> matrices = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        List<String> validation = null;
        for (RunDirectory run : runs) {
            Path ckpt = run.inferenceCheckpoint();
            checkpoints.add(ckpt.toString());
            try (TrainedMatcher matcher = TrainedMatcher.load(ckpt)) {
                TrainConfig config = matcher.header().config();
                if (set == null) {
                    e = e != null ? e : config.evaluation();
                    if (data == null) {
                        dataDir = config.dataPath(null);
                        validation = Split.read(run.splitDir()).validation();
                        set = PairedDataset.load(dataDir).selectIds(validation);
                        subset = "validation split";
                    } else {
                        dataDir = data;
                        set = PairedDataset.load(data);
                        subset = "all clips";
                    }
                } else if (validation != null && !Split.read(run.splitDir()).validation().equals(validation)) {
                    throw new InvalidDataException(run.path(), "has another validation split than " + first.path()
                            + ": an ensemble is evaluated on one split (use the same split config, or --data)");
                }
                matrices.add(matcher.score(set.video(), set.audio()));
            }
        }
        SimilarityMatrix s = Ensemble.average(matrices);
        RetrievalReport report = Retrieval.evaluate(s, e.subsetSize(), e.draws(), e.bootstrap(), e.seed(),
                e.normalization(), e.temperature());
        EvaluationResult result = new EvaluationResult(runs.stream().map(r -> r.path().toString()).toList(), checkpoints,
                dataDir.toAbsolutePath().normalize().toString(), subset, e, report);
        String prefix = runs.size() == 1 ? "evaluation" : "evaluation-ensemble";
        AtomicFiles.writeString(first.path().resolve(prefix + ".json"), Json.MAPPER.writeValueAsString(result));
        Npy.write(first.path().resolve(prefix + "-similarity.npy"), NpyArray.ofFloats(s.values(), s.rows(), s.cols()));
        AtomicFiles.writeString(first.path().resolve(prefix + "-ids.txt"), String.join("\n", set.ids()) + "\n");
        out.printf("%nEvaluation of %s (%s of %s; normalization %s):%n%s",
                runs.size() == 1 ? first.path() : "an ensemble of " + runs.size() + " runs", subset, dataDir,
                e.normalization().name().toLowerCase(java.util.Locale.ROOT), report.toTable());
        return result;
    }
}
