package vidkit.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vidkit.core.RunDirectory;
import vidkit.data.TaggingDataset;
import vidkit.matching.MatchingConfig;
import vidkit.matching.MatchingTask;
import vidkit.similarity.ReferencePairs;
import vidkit.similarity.SimilarityConfig;
import vidkit.similarity.SimilarityTask;
import vidkit.tagging.TaggingConfig;
import vidkit.tagging.TaggingTask;
import vidkit.train.Trainer;

/**
 * Real runs for the Spark tests, trained once per test JVM on the real data beside the checkout: a
 * YouTube-8M tagger (Context Gating + MoE, the README's best video-level model, 1 epoch on 6 shards),
 * a two-tower matcher on the AVE clips (1 epoch), and a similarity run on 6 shards (pairs derived by
 * the reference definition).
 */
final class SparkFixtures {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static Path dir;
    private static RunDirectory tagger;
    private static RunDirectory matcher;
    private static RunDirectory similarity;

    private SparkFixtures() {}

    static Path sharedData() {
        Path p = Path.of(System.getProperty("vidkit.sharedData", "../shared/data"));
        if (!Files.isDirectory(p.resolve("yt8m/video-level"))) {
            throw new IllegalStateException("the real data is missing at " + p.toAbsolutePath()
                    + ": ../shared/data must sit beside the checkout");
        }
        return p;
    }

    /** All 60 video-level shards. */
    static String allShards() {
        return sharedData().resolve("yt8m/video-level/validate*.tfrecord").toString();
    }

    /** The first 6 shards. */
    static String sixShards() {
        return sharedData().resolve("yt8m/video-level/validate000[0-5].tfrecord").toString();
    }

    static synchronized Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("vidkit-spark-test");
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var s = Files.walk(d)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory: best effort
                }
            }));
        }
        return dir;
    }

    static synchronized RunDirectory tagger() throws IOException {
        if (tagger == null) {
            TaggingConfig c = TaggingConfig.load(null, List.of("type=tagging", "data=" + sixShards(),
                    "vocabulary=" + sharedData().resolve("yt8m/vocabulary.csv"), "split.stratify=false",
                    "split.grouped=false", "model.classifier.type=moe", "model.classifier.mixtures=2",
                    "model.outputGating=true", "normalize=false", "epochs=1", "batchSize=256", "earlyStopping=0"));
            tagger = Trainer.train(new TaggingTask(), c, Trainer.Options.of(dir().resolve("runs"), "test", QUIET)).run();
        }
        return tagger;
    }

    static synchronized RunDirectory matcher() throws IOException {
        if (matcher == null) {
            MatchingConfig c = MatchingConfig.load(null, List.of("type=matching",
                    "data=" + sharedData().resolve("std2022/train"), "model.type=twotower", "model.hidden=64",
                    "model.embedding=32", "epochs=1", "batchSize=128", "earlyStopping=0"));
            matcher = Trainer.train(new MatchingTask(), c, Trainer.Options.of(dir().resolve("runs"), "test", QUIET)).run();
        }
        return matcher;
    }

    static synchronized RunDirectory similarity() throws IOException {
        if (similarity == null) {
            Path vocabulary = sharedData().resolve("yt8m/vocabulary.csv");
            TaggingDataset d = TaggingDataset.load(sixShards(), false, 1, vocabulary, false, QUIET, null);
            Path pairs = dir().resolve("pairs");
            ReferencePairs.make(d, ReferencePairs.verticals(vocabulary, d.classes()), 2000, 400, 0.2, 1)
                    .write(pairs, sixShards(), d.fingerprint(), 1);
            SimilarityConfig c = SimilarityConfig.load(null, List.of("type=similarity", "data=" + sixShards(),
                    "pairs=" + pairs, "stage=pairwise", "model.hidden=64", "model.embedding=32", "epochs=1",
                    "batchSize=128", "earlyStopping=0"));
            similarity = Trainer.train(new SimilarityTask(), c, Trainer.Options.of(dir().resolve("runs"), "test", QUIET))
                    .run();
        }
        return similarity;
    }
}
