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
import vidkit.train.RunDirectory;
import vidkit.train.TrainedMatcher;

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
            description = "none or dual_softmax over the whole N x M matrix (default: ${DEFAULT-VALUE}).")
    String normalization;

    @Option(names = "--temperature", defaultValue = "0.3", description = "Dual-softmax temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Override
    public Integer call() throws Exception {
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
        Npy.write(out, NpyArray.ofFloats(s.values(), s.rows(), s.cols()));
        Path csvPath = csv != null ? csv : out.resolveSibling(out.getFileName().toString().replaceFirst("\\.npy$", "") + ".topk.csv");
        StringBuilder sb = new StringBuilder("video_id,rank,audio_id,score\n");
        int k = Math.min(topK, s.cols());
        for (int r = 0; r < s.rows(); r++) {
            int[] top = TopK.indices(s, r, k);
            for (int rank = 0; rank < k; rank++) {
                int c = top[rank];
                sb.append(String.format(Locale.ROOT, "%s,%d,%s,%.6g%n", v.ids().get(r), rank + 1, a.ids().get(c), s.get(r, c)));
            }
        }
        AtomicFiles.writeString(csvPath, sb.toString());
        System.out.printf(Locale.ROOT, "scored %d videos x %d audios (%d pairs) in %.2f s (%.0f pairs/s, model load included)%n"
                + "matrix: %s%ntop-%d: %s%n", s.rows(), s.cols(), (long) s.rows() * s.cols(), seconds,
                s.rows() * (double) s.cols() / seconds, out, k, csvPath);
        return 0;
    }
}
