package vidkit.tagging;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import vidkit.core.Json;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.TaggingDataset;
import vidkit.eval.TaggingMetrics;

/**
 * Writes predictions in the YouTube-8M Kaggle submission format: a header {@code
 * VideoId,LabelConfidencePairs}, then per video its id and its top k classes with their
 * probabilities, space-separated ({@code "3 0.934512 12 0.412008 ..."}), in descending order (ties by
 * lower class index). Written to a temporary file and renamed.
 */
public final class TaggingPredictions {
    private TaggingPredictions() {}

    public static int write(RunDirectory run, String dataSpec, Path out, int topK, PrintStream log) throws IOException {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
        try (TrainedTagger tagger = TrainedTagger.load(run.inferenceCheckpoint())) {
            TaggingDataset data = TaggingTask.loadData(tagger.config().withData(dataSpec), log);
            float[] logits = tagger.logits(data);
            int classes = data.classes();
            TaggingMetrics ranks = new TaggingMetrics(logits, classes, new int[data.size()][0]);
            StringBuilder csv = new StringBuilder("VideoId,LabelConfidencePairs\n");
            for (int v = 0; v < data.size(); v++) {
                csv.append(vidkit.data.Csv.quote(data.ids().get(v))).append(',');
                int[] top = ranks.topClasses(v, topK);
                for (int j = 0; j < top.length; j++) {
                    double p = 1 / (1 + Math.exp(-logits[v * classes + top[j]]));
                    csv.append(j == 0 ? "" : " ").append(top[j]).append(' ').append(String.format(Locale.ROOT, "%.6f", p));
                }
                csv.append('\n');
            }
            AtomicFiles.writeString(out, csv.toString());
            log.printf("predictions for %d videos (top %d) written to %s%n", data.size(), Math.min(topK, classes), out);
            return data.size();
        }
    }
}
