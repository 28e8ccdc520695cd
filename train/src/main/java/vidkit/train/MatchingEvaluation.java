package vidkit.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import vidkit.data.AtomicFiles;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.eval.Retrieval;
import vidkit.eval.RetrievalReport;
import vidkit.eval.SimilarityMatrix;

/**
 * Evaluates a run's best checkpoint: the course protocol and whole-set retrieval metrics. Writes
 * {@code evaluation.json}, the evaluated similarity matrix {@code evaluation-similarity.npy} (rows
 * videos, columns audios) and its clip ids {@code evaluation-ids.txt}.
 */
public final class MatchingEvaluation {
    private MatchingEvaluation() {}

    /**
     * Scores the pairs and writes {@code evaluation.json} into the run. With {@code data == null},
     * the run's own dataset restricted to its validation split; otherwise every clip of {@code
     * data}.
     */
    public static EvaluationResult evaluate(RunDirectory run, Path data, PrintStream out) throws IOException {
        Path ckpt = run.inferenceCheckpoint();
        try (TrainedMatcher matcher = TrainedMatcher.load(ckpt)) {
            TrainConfig config = matcher.header().config();
            PairedDataset set;
            String subset;
            Path dataDir;
            if (data == null) {
                dataDir = config.dataPath(null);
                set = PairedDataset.load(dataDir).selectIds(Split.read(run.splitDir()).validation());
                subset = "validation split";
            } else {
                dataDir = data;
                set = PairedDataset.load(data);
                subset = "all clips";
            }
            SimilarityMatrix s = matcher.score(set.video(), set.audio());
            EvalConfig e = config.evaluation();
            RetrievalReport report = Retrieval.evaluate(s, e.subsetSize(), e.draws(), e.bootstrap(), e.seed());
            EvaluationResult result = new EvaluationResult(run.path().toString(), ckpt.toString(),
                    dataDir.toAbsolutePath().normalize().toString(), subset, report);
            AtomicFiles.writeString(run.evaluation(), Json.MAPPER.writeValueAsString(result));
            Npy.write(run.path().resolve(RunDirectory.EVALUATION_MATRIX), NpyArray.ofFloats(s.values(), s.rows(), s.cols()));
            AtomicFiles.writeString(run.path().resolve(RunDirectory.EVALUATION_IDS), String.join("\n", set.ids()) + "\n");
            out.printf("%nEvaluation of %s (%s, %s of %s):%n%s", run.path(), ckpt.getFileName(), subset, dataDir,
                    report.toTable());
            return result;
        }
    }
}
