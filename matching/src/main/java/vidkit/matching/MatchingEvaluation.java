package vidkit.matching;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vidkit.core.Json;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.eval.Ensemble;
import vidkit.eval.Reranking;
import vidkit.eval.ScoreNormalization;
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
    /** The evaluated similarity matrix {@code [videos, audios]} of a single run, before normalization. */
    public static final String MATRIX = "evaluation-similarity.npy";
    /** Clips shown in the report's heat map. */
    static final int HEATMAP_CLIPS = 30;

    private MatchingEvaluation() {}

    public static EvaluationResult evaluate(RunDirectory run, Path data, PrintStream out) throws IOException {
        return evaluate(List.of(run), data, out);
    }

    /**
     * Scores the pairs with every run (their matrices averaged by {@link Ensemble#average}) and
     * evaluates. With {@code data == null}, the first run's dataset restricted to its validation
     * split, which every run must share; otherwise every clip of {@code data}. {@code evaluation}
     * overrides the first run's evaluation settings when not null.
     */
    public static EvaluationResult evaluate(List<RunDirectory> runs, Path data, PrintStream out) throws IOException {
        return evaluate(runs, data, null, null, null, 0, out);
    }

    /**
     * As {@link #evaluate(List, Path, PrintStream)}, with the first run's score normalization and
     * temperature replaced by {@code normalization} and {@code temperature} where not null; with
     * {@code reranker}, that run's
     * model re-orders each query's top {@code rerankK} of the first stage ({@link Reranking}), in
     * every subset of the course protocol and over the whole set. Re-ranking and score
     * normalization are not combined.
     */
    public static EvaluationResult evaluate(List<RunDirectory> runs, Path data, ScoreNormalization normalization,
            Double temperature, RunDirectory reranker, int rerankK, PrintStream out) throws IOException {
        if (reranker != null) {
            runs = new ArrayList<>(runs);
            runs.add(reranker);
        }
        RunDirectory first = runs.get(0);
        PairedDataset set = null;
        String subset = null;
        Path dataDir = null;
        EvalConfig e = null;
        List<SimilarityMatrix> matrices = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        List<String> validation = null;
        for (RunDirectory run : runs) {
            Path ckpt = run.inferenceCheckpoint();
            checkpoints.add(ckpt.toString());
            try (TrainedMatcher matcher = TrainedMatcher.load(ckpt)) {
                MatchingConfig config = matcher.config();
                if (set == null) {
                    EvalConfig base = config.evaluation();
                    e = new EvalConfig(base.subsetSize(), base.draws(), base.bootstrap(), base.seed(),
                            normalization != null ? normalization : base.normalization(),
                            temperature != null ? temperature : base.temperature());
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
        SimilarityMatrix second = null;
        if (reranker != null) {
            if (e.normalization() != ScoreNormalization.NONE) {
                throw new IllegalArgumentException("re-ranking and score normalization are not combined: "
                        + "use --normalization none with --rerank");
            }
            if (rerankK < 1) {
                throw new IllegalArgumentException("--rerank-k must be >= 1, got " + rerankK);
            }
            second = matrices.remove(matrices.size() - 1);
            runs = runs.subList(0, runs.size() - 1);
        }
        SimilarityMatrix s = Ensemble.average(matrices);
        RetrievalReport report = second == null
                ? Retrieval.evaluate(s, e.subsetSize(), e.draws(), e.bootstrap(), e.seed(), e.normalization(),
                        e.temperature())
                : Reranking.evaluate(s, second, rerankK, e.subsetSize(), e.draws(), e.bootstrap(), e.seed());
        EvaluationResult result = new EvaluationResult(runs.stream().map(r -> r.path().toString()).toList(), checkpoints,
                dataDir.toAbsolutePath().normalize().toString(), subset, e,
                reranker == null ? null : reranker.path().toString(), reranker == null ? null : rerankK, report);
        String prefix = reranker != null ? "evaluation-reranked" : runs.size() == 1 ? "evaluation" : "evaluation-ensemble";
        AtomicFiles.writeString(first.path().resolve(prefix + ".json"), Json.MAPPER.writeValueAsString(result));
        Npy.write(first.path().resolve(prefix + "-similarity.npy"), NpyArray.ofFloats(s.values(), s.rows(), s.cols()));
        AtomicFiles.writeString(first.path().resolve(prefix + "-ids.txt"), String.join("\n", set.ids()) + "\n");
        out.printf("%nEvaluation of %s%s (%s of %s; normalization %s):%n%s",
                runs.size() == 1 ? first.path() : "an ensemble of " + runs.size() + " runs",
                reranker == null ? "" : ", top " + rerankK + " re-ranked by " + reranker.path(), subset, dataDir,
                e.normalization().name().toLowerCase(java.util.Locale.ROOT), report.toTable());
        return result;
    }

    /**
     * The matching sections of a run's report, from its {@link #MATRIX}: a heat map of the first
     * {@value #HEATMAP_CLIPS} evaluated clips (rows videos, columns audios) and the histogram of the
     * true audios' ranks (ties counted against them).
     */
    static List<ReportItem> reportItems(RunDirectory run) throws IOException {
        Path npy = run.path().resolve(MATRIX);
        if (!java.nio.file.Files.exists(npy)) {
            return List.of();
        }
        NpyArray s = Npy.read(npy);
        int n = s.shape()[0];
        int m = s.shape()[1];
        float[] v = s.asFloats();
        int k = Math.min(HEATMAP_CLIPS, Math.min(n, m));
        List<String> labels = new ArrayList<>();
        double[][] heat = new double[k][k];
        for (int r = 0; r < k; r++) {
            labels.add(Integer.toString(r));
            for (int c = 0; c < k; c++) {
                heat[r][c] = v[r * m + c];
            }
        }
        List<ReportItem> out = new ArrayList<>();
        out.add(new ReportItem.HeatMap("Similarity of the first " + k + " evaluated clips (rows videos, columns audios)",
                "audio", "video", labels, labels, heat));
        String[] bins = {"1", "2-5", "6-10", "11-20", "21-50", "51-100", ">100"};
        int[] upper = {1, 5, 10, 20, 50, 100, Integer.MAX_VALUE};
        double[] counts = new double[bins.length];
        for (int r = 0; r < Math.min(n, m); r++) {
            float t = v[r * m + r];
            int rank = 1;
            for (int c = 0; c < m; c++) {
                if (c != r && v[r * m + c] >= t) {
                    rank++;
                }
            }
            for (int b = 0; b < bins.length; b++) {
                if (rank <= upper[b]) {
                    counts[b]++;
                    break;
                }
            }
        }
        List<Double> values = new ArrayList<>();
        for (double c : counts) {
            values.add(c);
        }
        out.add(new ReportItem.Bars("Rank of the true audio among all " + m + " (video to audio)", "rank", "videos",
                List.of(bins), values));
        return out;
    }
}
