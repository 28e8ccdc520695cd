package vidkit.tagging;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.Csv;
import vidkit.data.InvalidDataException;
import vidkit.data.Shards;
import vidkit.data.TaggingDataset;
import vidkit.data.Vocabulary;
import vidkit.data.Yt8mReader;
import vidkit.eval.TaggingMetrics;

/**
 * Writes predictions in the YouTube-8M Kaggle submission format: a header {@code
 * VideoId,LabelConfidencePairs}, then per video its id and its top k classes with their
 * probabilities, space-separated ({@code "3 0.934512 12 0.412008 ..."}), in descending order (ties by
 * lower class index). Written to a temporary file and renamed.
 *
 * <p><b>Batching rule</b> (shared with the Spark tag job, so both give the same answers bit for bit):
 * shards are read and scored one at a time, each shard's videos in batches of {@value
 * TrainedTagger#BATCH} from the shard's first video; a batch never spans two shards. PyTorch's
 * results depend in their last bits on the batch a row shares and on the intra-op thread count, so
 * equal bits also need equal thread counts (the Spark job uses {@code spark.task.cpus}).
 */
public final class TaggingPredictions {
    /** The CSV's header line. */
    public static final String HEADER = "VideoId,LabelConfidencePairs";

    private TaggingPredictions() {}

    /**
     * One video's top classes, best first (ties: the lower class index), and their probabilities
     * ({@code 1 / (1 + e^-logit)}, in double).
     */
    public record VideoTags(String id, int[] classes, double[] probabilities) {
        /** The Kaggle CSV line, without the newline. */
        public String csvLine() {
            StringBuilder line = new StringBuilder(Csv.quote(id)).append(',');
            for (int j = 0; j < classes.length; j++) {
                line.append(j == 0 ? "" : " ").append(classes[j]).append(' ')
                        .append(String.format(Locale.ROOT, "%.6f", probabilities[j]));
            }
            return line.toString();
        }
    }

    /** How to read a run's shards: video or frame level, its vocabulary size and frame limit. */
    public static Yt8mReader.Options readOptions(TrainedTagger tagger) {
        TaggingConfig c = tagger.config();
        int classes = tagger.state().classNames().length;
        return (c.frameLevel() ? Yt8mReader.Options.frameLevel(classes, c.maxFrames())
                : Yt8mReader.Options.videoLevel(classes)).withSkipCorrupt(c.skipCorrupt()).withThreads(1);
    }

    /** The top {@code topK} tags of one shard's videos (or any list of videos scored as one unit), in order. */
    public static List<VideoTags> tag(TrainedTagger tagger, String source, List<vidkit.data.Yt8mVideo> videos, int topK)
            throws InvalidDataException {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
        if (videos.isEmpty()) {
            return List.of();
        }
        int classes = tagger.state().classNames().length;
        TaggingDataset data = TaggingDataset.fromYt8m(source, videos, Vocabulary.unnamed(classes));
        return tag(tagger, data, topK);
    }

    private static List<VideoTags> tag(TrainedTagger tagger, TaggingDataset data, int topK) throws InvalidDataException {
        float[] logits = tagger.logits(data, false);
        int classes = data.classes();
        TaggingMetrics ranks = new TaggingMetrics(logits, classes, new int[data.size()][0]);
        List<VideoTags> out = new ArrayList<>(data.size());
        for (int v = 0; v < data.size(); v++) {
            int[] top = ranks.topClasses(v, topK);
            double[] p = new double[top.length];
            for (int j = 0; j < top.length; j++) {
                p[j] = 1 / (1 + Math.exp(-logits[v * classes + top[j]]));
            }
            out.add(new VideoTags(data.ids().get(v), top, p));
        }
        return out;
    }

    public static int write(RunDirectory run, String dataSpec, Path out, int topK, PrintStream log) throws IOException {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
        try (TrainedTagger tagger = TrainedTagger.load(run.inferenceCheckpoint())) {
            StringBuilder csv = new StringBuilder(HEADER).append('\n');
            int videos = 0;
            if (TaggingDataset.isPairedDirectory(dataSpec)) {
                TaggingDataset data = TaggingTask.loadData(tagger.config().withData(dataSpec), log);
                for (VideoTags t : tag(tagger, data, topK)) {
                    csv.append(t.csvLine()).append('\n');
                    videos++;
                }
            } else {
                Yt8mReader.Options options = readOptions(tagger);
                List<Path> shards = Shards.resolve(dataSpec);
                Set<String> seen = new HashSet<>();
                int skipped = 0;
                try (vidkit.core.Progress progress = vidkit.core.Progress.start("tagging shards", shards.size())) {
                    for (Path shard : shards) {
                        Yt8mReader.Result r = Yt8mReader.readShard(shard, options);
                        for (Yt8mReader.Skipped s : r.skipped()) {
                            log.printf("  skipped %s at byte %d: %s%n", s.file(), s.offset(), s.reason());
                        }
                        skipped += r.skipped().size();
                        for (VideoTags t : tag(tagger, shard.toString(), r.videos(), topK)) {
                            if (!seen.add(t.id())) {
                                throw new InvalidDataException(shard, "video id '" + t.id() + "' occurs twice");
                            }
                            csv.append(t.csvLine()).append('\n');
                            videos++;
                        }
                        progress.step(1, "");
                    }
                }
                if (videos == 0) {
                    throw new InvalidDataException(Path.of(dataSpec), "no videos in " + shards.size() + " shard(s)");
                }
                if (skipped > 0) {
                    log.printf("  skipped %d corrupt record(s) in all%n", skipped);
                }
            }
            AtomicFiles.writeString(out, csv.toString());
            log.printf("predictions for %d videos (top %d) written to %s%n", videos,
                    Math.min(topK, tagger.state().classNames().length), out);
            return videos;
        }
    }
}
