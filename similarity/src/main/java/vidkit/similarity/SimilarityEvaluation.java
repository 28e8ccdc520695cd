package vidkit.similarity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vidkit.core.Checkpoint;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.TaggingDataset;
import vidkit.eval.SimilarityMetrics;

/**
 * Evaluates a similarity run on judged pairs (its pairs' validation side, or another pairs file of
 * the same shards): the cosine of the two videos' embeddings against the scores — Spearman with a
 * bootstrap interval, MSE, precision@10% — written to {@code evaluation.json}.
 */
public final class SimilarityEvaluation {
    static final int BOOTSTRAP = 1000;

    private SimilarityEvaluation() {}

    /** The run's metrics with what they were measured on. */
    public record Result(String pairs, String checkpoint, SimilarityMetrics metrics) {}

    public static Result evaluate(RunDirectory run, String pairsFile, PrintStream out) throws IOException {
        return evaluate(run, pairsFile, out, null, null);
    }

    /**
     * {@link #evaluate(RunDirectory, String, PrintStream)} given what the run's training job already
     * holds — its data and its encoded titles (either may be null: read or encoded then) — so that
     * the evaluation at the end of training reads no shard and encodes no title again.
     */
    static Result evaluate(RunDirectory run, String pairsFile, PrintStream out, TaggingDataset loaded, TitleVectors titles)
            throws IOException {
        Path ckpt = run.inferenceCheckpoint();
        try (TrainedSimilarity model = TrainedSimilarity.load(Checkpoint.read(ckpt), titles)) {
            SimilarityConfig config = model.config();
            TaggingDataset data = loaded != null ? loaded : config.loadData(config.data(), out);
            Path pairsPath = pairsFile != null ? Path.of(pairsFile) : config.pairsDir().resolve("validation-pairs.csv");
            List<Pair> pairs = PairsFile.read(pairsPath, new HashSet<>(data.ids()));
            double[] predicted = cosines(model, data, pairs);
            double[] truth = pairs.stream().mapToDouble(Pair::score).toArray();
            SimilarityMetrics m = SimilarityMetrics.of(predicted, truth, BOOTSTRAP, 1);
            Result r = new Result(pairsPath.toString(), ckpt.toString(), m);
            AtomicFiles.writeString(run.evaluation(), Json.MAPPER.writeValueAsString(r));
            out.printf(Locale.ROOT, "Video similarity (%s stage): %d pairs of %s (derived scores unless the file holds "
                    + "judgements)%n  Spearman %.4f [%.4f, %.4f]   MSE %.4f   precision@10%% %.4f%n  written to %s%n",
                    config.stage(), m.pairs(), pairsPath, m.spearman(), m.low(), m.high(), m.mse(), m.precisionAt10(),
                    run.evaluation());
            return r;
        }
    }

    /** The cosine of each pair's two embeddings (each video embedded once). */
    static double[] cosines(TrainedSimilarity model, TaggingDataset data, List<Pair> pairs) {
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            row.put(data.ids().get(i), i);
        }
        Map<String, Integer> slot = new HashMap<>();
        java.util.List<Integer> rows = new java.util.ArrayList<>();
        for (Pair p : pairs) {
            for (String id : List.of(p.id1(), p.id2())) {
                if (!slot.containsKey(id)) {
                    slot.put(id, rows.size());
                    rows.add(row.get(id));
                }
            }
        }
        int dim = model.embeddingDim();
        float[] e = model.embed(data, rows.stream().mapToInt(Integer::intValue).toArray());
        return cosines(e, dim, pairs, slot);
    }

    /** Cosines of unit embeddings {@code e [videos, dim]}, videos found by {@code slot}. */
    static double[] cosines(float[] e, int dim, List<Pair> pairs, Map<String, Integer> slot) {
        double[] out = new double[pairs.size()];
        for (int k = 0; k < pairs.size(); k++) {
            int a = slot.get(pairs.get(k).id1()) * dim;
            int b = slot.get(pairs.get(k).id2()) * dim;
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += e[a + d] * e[b + d];
            }
            out[k] = s;
        }
        return out;
    }

    /**
     * The baseline without a model: the cosine of each pair's raw video-level features ({@code
     * mean_rgb} and {@code mean_audio} concatenated).
     */
    public static double[] rawFeatureCosines(TaggingDataset data, List<Pair> pairs) {
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            row.put(data.ids().get(i), i);
        }
        double[] out = new double[pairs.size()];
        for (int k = 0; k < pairs.size(); k++) {
            int a = row.get(pairs.get(k).id1());
            int b = row.get(pairs.get(k).id2());
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (List<float[]> f : List.of(data.visual(), data.audio())) {
                float[] x = f.get(a);
                float[] y = f.get(b);
                for (int i = 0; i < x.length; i++) {
                    dot += x[i] * y[i];
                    na += x[i] * x[i];
                    nb += y[i] * y[i];
                }
            }
            out[k] = dot / Math.sqrt(na * nb);
        }
        return out;
    }
}
