package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.data.AtomicFiles;
import vidkit.data.FeatureSet;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.eval.Ensemble;
import vidkit.eval.ScoreNormalization;
import vidkit.eval.SimilarityMatrix;
import vidkit.core.RunDirectory;
import vidkit.matching.TrainedMatcher;

@Command(name = "match", mixinStandardHelpOptions = true,
        description = "Score every video against every audio: writes the N x M similarity matrix (.npy, "
                + "rows videos, columns audios, sorted-id order) and each video's top-k audios (.csv).")
final class MatchCommand implements Callable<Integer> {
    @Option(names = "--run", required = true,
            description = "A run directory; repeat for an ensemble (standardized scores averaged).")
    List<Path> runs;

    @Option(names = "--videos", required = true, description = "Directory of video feature files ID.npy.")
    Path videos;

    @Option(names = "--audios", required = true, description = "Directory of audio feature files ID.npy.")
    Path audios;

    @Option(names = "--out", required = true, description = "The .npy matrix to write.")
    Path out;

    @Option(names = "--top-k", defaultValue = "10", description = "Audios per video in the CSV (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--csv", description = "Top-k CSV path (default: the matrix path with .topk.csv).")
    Path csv;

    @Option(names = "--normalization", defaultValue = "none",
            description = "none, dual_softmax or sinkhorn over the whole N x M matrix (default: ${DEFAULT-VALUE}).")
    String normalization;

    @Option(names = "--temperature", defaultValue = "0.3", description = "Dual-softmax temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--rerank", description = "A cross-model run (localmix, rnncnn, twostreamcnn) that re-orders each "
            + "video's first-stage top --rerank-k; only those pairs are scored by it. The matrix stays the first stage; "
            + "the CSV lists the two-stage order with both scores.")
    Path rerank;

    @Option(names = "--rerank-k", defaultValue = "10", description = "Short-list length for --rerank (default: ${DEFAULT-VALUE}).")
    int rerankK;

    @Override
    public Integer call() throws Exception {
        if (rerank != null) {
            if (rerankK < 1) {
                throw new IllegalArgumentException("--rerank-k must be >= 1");
            }
            topK = Math.max(topK, rerankK);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1");
        }
        FeatureSet v = FeatureSet.load(videos);
        FeatureSet a = FeatureSet.load(audios);
        ScoreNormalization norm = Options.normalization(normalization);
        long start = System.nanoTime();
        List<SimilarityMatrix> members = new ArrayList<>();
        for (Path run : runs) {
            try (TrainedMatcher matcher = TrainedMatcher.load(RunDirectory.open(run).inferenceCheckpoint())) {
                members.add(matcher.score(v, a));
            }
        }
        SimilarityMatrix raw = Ensemble.average(members);
        SimilarityMatrix s = new SimilarityMatrix(raw.rows(), raw.cols(),
                norm.apply(raw.values(), raw.rows(), raw.cols(), temperature));
        double seconds = (System.nanoTime() - start) / 1e9;
        AtomicFiles.sweepStale(out, ".tmp"); // what a killed match left
        Npy.write(out, NpyArray.ofFloats(s.values(), s.rows(), s.cols()));
        Path csvPath = csv != null ? csv : out.resolveSibling(out.getFileName().toString().replaceFirst("\\.npy$", "") + ".topk.csv");
        int k = Math.min(topK, s.cols());
        int[][] top = new int[s.rows()][];
        for (int r = 0; r < s.rows(); r++) {
            top[r] = TopK.indices(s, r, k);
        }
        float[][] second = null;
        if (rerank != null) {
            int shortList = Math.min(rerankK, k);
            int[][] candidates = new int[s.rows()][];
            for (int r = 0; r < s.rows(); r++) {
                candidates[r] = java.util.Arrays.copyOf(top[r], shortList);
            }
            try (TrainedMatcher cross = TrainedMatcher.load(RunDirectory.open(rerank).inferenceCheckpoint())) {
                second = cross.scorePairs(v, a, candidates);
            }
            for (int r = 0; r < s.rows(); r++) {
                // the short list ordered by the cross model (higher first; ties keep the first-stage order)
                Integer[] order = new Integer[shortList];
                for (int i = 0; i < shortList; i++) {
                    order[i] = i;
                }
                float[] sc = second[r];
                java.util.Arrays.sort(order, (x, y) -> Float.compare(sc[y], sc[x]));
                int[] reordered = top[r].clone();
                float[] reorderedScores = new float[shortList];
                for (int i = 0; i < shortList; i++) {
                    reordered[i] = top[r][order[i]];
                    reorderedScores[i] = sc[order[i]];
                }
                top[r] = reordered;
                second[r] = reorderedScores;
            }
        }
        StringBuilder sb = new StringBuilder(rerank == null ? "video_id,rank,audio_id,score\n"
                : "video_id,rank,audio_id,score,rerank_score\n");
        for (int r = 0; r < s.rows(); r++) {
            for (int rank = 0; rank < k; rank++) {
                int c = top[r][rank];
                sb.append(String.format(Locale.ROOT, "%s,%d,%s,%.6g", v.ids().get(r), rank + 1, a.ids().get(c), s.get(r, c)));
                if (second != null) {
                    sb.append(rank < second[r].length ? String.format(Locale.ROOT, ",%.6g", second[r][rank]) : ",");
                }
                sb.append('\n');
            }
        }
        AtomicFiles.writeString(csvPath, sb.toString());
        System.out.printf(Locale.ROOT, "scored %d videos x %d audios (%d pairs) in %.2f s (%.0f pairs/s, model load included)%n"
                + "matrix: %s%ntop-%d: %s%n", s.rows(), s.cols(), (long) s.rows() * s.cols(), seconds,
                s.rows() * (double) s.cols() / seconds, out, k, csvPath);
        return 0;
    }
}
