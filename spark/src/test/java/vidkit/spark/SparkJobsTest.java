package vidkit.spark;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import vidkit.data.FeatureSet;
import vidkit.data.Shards;
import vidkit.data.TfRecordReader;
import vidkit.data.Yt8mReader;
import vidkit.index.EmbeddingLibrary;
import vidkit.matching.TrainedMatcher;
import vidkit.media.AudioModel;
import vidkit.media.ExtractJob;
import vidkit.media.ExtractManifest;
import vidkit.media.Extractor;
import vidkit.media.ImageModel;
import vidkit.media.MediaDecoder;
import vidkit.media.MediaFixtures;
import vidkit.media.ModelFiles;
import vidkit.similarity.SimilarityEmbeddings;
import vidkit.similarity.TrainedSimilarity;
import vidkit.tagging.TaggingPredictions;
import vidkit.tagging.TrainedTagger;

/**
 * The jobs in-process on {@code local[2]} (a real SparkSession, real files, real runs), each against
 * the single-JVM command it mirrors: the same answers bit for bit (this JVM runs PyTorch with 1
 * thread, as each Spark task does), corrupt input skipped and named or failing with nothing written,
 * outputs committed atomically.
 */
class SparkJobsTest {
    static final String MASTER = "local[2]";
    static final PrintStream QUIET = SparkFixtures.QUIET;

    record Outcome(int status, String out, String err) {}

    /** Runs {@code vidkit spark ARGS} here, capturing what it prints. */
    static synchronized Outcome run(Object... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        int status;
        try {
            status = SparkMain.run(Stream.of(args).map(String::valueOf).toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        Outcome r = new Outcome(status, o.toString(), e.toString());
        out.print(r.out());
        return r;
    }

    static JsonNode report(Path out) throws Exception {
        return Json.MAPPER.readTree(out.resolve(JobOutput.REPORT).toFile());
    }

    static List<String> partials(Path out) throws Exception {
        try (var s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("_partial")).toList();
        }
    }

    @Test
    void tagGivesVidkitPredictsAnswersBitForBitAndCommitsAtomically(@TempDir Path tmp) throws Exception {
        RunDirectory run = SparkFixtures.tagger();
        Path expected = tmp.resolve("predict.csv");
        int videos = TaggingPredictions.write(run, SparkFixtures.sixShards(), expected, 20, QUIET);
        Path out = tmp.resolve("out");
        Outcome o = run("tag", "--master", MASTER, "--run", run.path(), "--data", SparkFixtures.sixShards(), "--out", out);
        assertEquals(0, o.status(), o.err());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out.resolve("predictions.csv")),
                "the Kaggle CSV equals vidkit predict's byte for byte");
        // the Parquet rows hold the same doubles, shard by shard, as the single-JVM scoring of each shard
        List<Row> rows = SparkSession.active().read().parquet(out.resolve("tags.parquet").toString())
                .orderBy("shard", "position").collectAsList();
        assertEquals(videos, rows.size());
        int at = 0;
        try (TrainedTagger tagger = TrainedTagger.load(run.inferenceCheckpoint())) {
            List<Path> shards = Shards.resolve(SparkFixtures.sixShards());
            for (int s = 0; s < shards.size(); s++) {
                Yt8mReader.Result r = Yt8mReader.readShard(shards.get(s), TaggingPredictions.readOptions(tagger));
                List<TaggingPredictions.VideoTags> tags = TaggingPredictions.tag(tagger, "x", r.videos(), 20);
                for (int i = 0; i < tags.size(); i++) {
                    Row row = rows.get(at++);
                    assertEquals(s, row.getInt(0));
                    assertEquals(i, row.getInt(1));
                    assertEquals(shards.get(s).toAbsolutePath().normalize().toString(), row.getString(2));
                    TaggingPredictions.VideoTags got = TagJob.videoTags(row);
                    assertEquals(tags.get(i).id(), got.id());
                    assertArrayEquals(tags.get(i).classes(), got.classes());
                    assertArrayEquals(tags.get(i).probabilities(), got.probabilities(), 0.0, got.id());
                }
            }
        }
        JsonNode report = report(out);
        assertEquals(videos, report.path("rows").asLong());
        assertEquals(6, report.path("inputs").asInt());
        assertEquals(0, report.path("skipped").asInt());
        assertEquals(Jobs.sha256(Files.readAllBytes(run.inferenceCheckpoint())), report.path("checkpointSha256").asText());
        assertEquals(MASTER, report.path("master").asText());
        assertEquals("file,offset,reason\n", Files.readString(out.resolve("skipped.csv")));
        assertEquals(List.of(), partials(out));
        // a finished output is not overwritten by accident
        Outcome again = run("tag", "--master", MASTER, "--run", run.path(), "--data", SparkFixtures.sixShards(), "--out",
                out);
        assertEquals(SparkMain.BAD_INPUT, again.status());
        assertTrue(again.err().contains("--overwrite"), again.err());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out.resolve("predictions.csv")));
    }

    @Test
    void frameLevelShardsAreTaggedAsVidkitPredictTagsThem(@TempDir Path tmp) throws Exception {
        // the two real frame-level SequenceExamples (YouTube-8M's extractor; 184 and 141 frames) and a
        // frame-level NetVLAD tagger trained on them: a format test, not an accuracy one
        String shards = SparkFixtures.sharedData().resolve("yt8m/frame-level-sample/sample-*.tfrecord").toString();
        vidkit.tagging.TaggingConfig c = vidkit.tagging.TaggingConfig.load(null, List.of("type=tagging", "data=" + shards,
                "frameLevel=true", "split.validationFraction=0.5", "split.stratify=false", "split.grouped=false",
                "model.pooling.type=netvlad", "model.pooling.clusters=4", "epochs=1", "batchSize=2",
                "earlyStopping=0"));
        RunDirectory run = vidkit.train.Trainer.train(new vidkit.tagging.TaggingTask(), c,
                vidkit.train.Trainer.Options.of(tmp.resolve("runs"), "test", QUIET)).run();
        Path expected = tmp.resolve("predict.csv");
        assertEquals(2, TaggingPredictions.write(run, shards, expected, 20, QUIET));
        Path out = tmp.resolve("out");
        Outcome o = run("tag", "--master", MASTER, "--run", run.path(), "--data", shards, "--out", out);
        assertEquals(0, o.status(), o.err());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out.resolve("predictions.csv")));
        assertEquals(2, report(out).path("rows").asLong());
    }

    @Test
    void corruptShardsAreSkippedAndNamedOrFailTheJobWritingNothing(@TempDir Path tmp) throws Exception {
        RunDirectory run = SparkFixtures.tagger();
        Path shards = Files.createDirectories(tmp.resolve("shards"));
        List<Path> source = Shards.resolve(SparkFixtures.sixShards()).subList(0, 3);
        for (Path p : source) {
            Files.copy(p, shards.resolve(p.getFileName()));
        }
        Path flipped = shards.resolve(source.get(1).getFileName());
        Path cut = shards.resolve(source.get(2).getFileName());
        long tenth = recordOffset(flipped, 10);
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[(int) tenth + 12 + 40] ^= 0x20; // a bit flip inside the 11th record's payload
        Files.write(flipped, bytes);
        byte[] whole = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2)); // cut inside a record
        // what the single-JVM reader keeps and skips with skipCorrupt
        int kept = 0;
        List<Yt8mReader.Skipped> skippedByReader = new ArrayList<>();
        for (Path p : Shards.resolve(shards.toString())) {
            Yt8mReader.Result r = Yt8mReader.readShard(p, Yt8mReader.Options.videoLevel(3862).withSkipCorrupt(true));
            kept += r.videos().size();
            skippedByReader.addAll(r.skipped());
        }
        assertEquals(2, skippedByReader.size());

        Path out = tmp.resolve("out");
        Outcome o = run("tag", "--master", MASTER, "--run", run.path(), "--data", shards, "--out", out);
        assertEquals(SparkMain.BAD_INPUT, o.status(), "skipping is not silent: " + o.err());
        assertTrue(o.err().contains(flipped.toString()) && o.err().contains(cut.toString()), o.err());
        List<String> skipped = Files.readAllLines(out.resolve("skipped.csv"));
        assertEquals(List.of("file,offset,reason",
                flipped + "," + tenth + ",payload checksum mismatch",
                cut + "," + skippedByReader.get(1).offset() + "," + skippedByReader.get(1).reason()), skipped);
        assertEquals(kept, Files.readAllLines(out.resolve("predictions.csv")).size() - 1, "every readable video, no fewer");
        JsonNode report = report(out);
        assertEquals(2, report.path("skipped").asInt());
        assertEquals(List.of(flipped.toString(), cut.toString()),
                List.of(report.path("skippedFiles").get(0).asText(), report.path("skippedFiles").get(1).asText()));

        Path failed = tmp.resolve("failed");
        Outcome f = run("tag", "--master", MASTER, "--run", run.path(), "--data", shards, "--out", failed,
                "--on-corrupt", "fail");
        assertEquals(SparkMain.BAD_INPUT, f.status());
        assertTrue(f.err().contains(flipped.toString()) && f.err().contains(cut.toString())
                && f.err().contains("nothing written"), f.err());
        assertFalse(Files.exists(failed.resolve(JobOutput.REPORT)));
        assertFalse(Files.exists(failed.resolve("tags.parquet")));
        assertFalse(Files.exists(failed.resolve("predictions.csv")));
        assertEquals(List.of(), partials(failed));
    }

    /** The byte offset of record {@code n} (from 0) of a TFRecord file. */
    static long recordOffset(Path file, int n) throws Exception {
        try (TfRecordReader r = TfRecordReader.open(file)) {
            for (int i = 0; i <= n; i++) {
                assertTrue(r.advance());
            }
            return r.recordOffset();
        }
    }

    @Test
    void twoTowerEmbeddingsEqualVidkitEmbedsLibraryByteForByte(@TempDir Path tmp) throws Exception {
        RunDirectory run = SparkFixtures.matcher();
        Path audio = SparkFixtures.sharedData().resolve("std2022/train/afeat");
        Path expected = tmp.resolve("expected.vkemb");
        try (TrainedMatcher m = TrainedMatcher.load(run.inferenceCheckpoint())) { // what vidkit embed does
            FeatureSet set = FeatureSet.load(audio);
            EmbeddingLibrary.write(expected, set.ids(), m.embed(set, false, false), m.embeddingDim());
        }
        Path out = tmp.resolve("out");
        Outcome o = run("embed", "--master", MASTER, "--run", run.path(), "--data", audio, "--modality", "audio",
                "--files-per-task", 512, "--out", out);
        assertEquals(0, o.status(), o.err());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out.resolve(EmbedJob.LIBRARY)));
        try (EmbeddingLibrary lib = EmbeddingLibrary.open(out.resolve(EmbedJob.LIBRARY))) {
            assertEquals(2747, lib.size());
        }
        assertEquals(2747, report(out).path("rows").asLong());
        Outcome bad = run("embed", "--master", MASTER, "--run", run.path(), "--data", audio, "--modality", "audio",
                "--files-per-task", 300, "--out", tmp.resolve("bad"));
        assertEquals(SparkMain.BAD_INPUT, bad.status());
        assertTrue(bad.err().contains("multiple of 256"), bad.err());
        Outcome wrongRun = run("tag", "--master", MASTER, "--run", run.path(), "--data", SparkFixtures.sixShards(), "--out",
                tmp.resolve("wrong"));
        assertEquals(SparkMain.BAD_INPUT, wrongRun.status());
        assertTrue(wrongRun.err().contains("is a matching run"), wrongRun.err());
    }

    @Test
    void similarityEmbeddingsEqualVidkitEmbedsLibraryByteForByte(@TempDir Path tmp) throws Exception {
        RunDirectory run = SparkFixtures.similarity();
        Path expected = tmp.resolve("expected.vkemb");
        try (TrainedSimilarity m = TrainedSimilarity.load(run.inferenceCheckpoint())) {
            SimilarityEmbeddings.write(m, SparkFixtures.sixShards(), expected, QUIET);
        }
        Path out = tmp.resolve("out");
        Outcome o = run("embed", "--master", MASTER, "--run", run.path(), "--data", SparkFixtures.sixShards(), "--out", out);
        assertEquals(0, o.status(), o.err());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out.resolve(EmbedJob.LIBRARY)));
        assertTrue(Files.isDirectory(out.resolve("embeddings.parquet")));
    }

    @Test
    void extractGivesVidkitExtractsFeaturesBitForBitAndListsWhatFailed(@TempDir Path tmp) throws Exception {
        MediaFixtures.requireTools();
        Path videos = Files.createDirectories(tmp.resolve("videos"));
        String[] h264 = {"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "96k"};
        MediaFixtures.clip(videos.resolve("eagle.mp4"), "eagle.jpg", MediaFixtures.sound("bell.oga"), 3, h264);
        MediaFixtures.clip(videos.resolve("dog.mp4"), "dog.jpg", MediaFixtures.sound("complete.oga"), 3, h264);
        MediaFixtures.clip(videos.resolve("horses.mp4"), "horses.jpg", MediaFixtures.sound("message.oga"), 3, h264);
        Files.writeString(videos.resolve("broken.mp4"), "not a video at all");
        Path single = tmp.resolve("single");
        Path models = ModelFiles.defaultDir();
        try (ImageModel visual = ImageModel.mobileNetV2(models, 1)) {
            AudioModel audio = AudioModel.of("yamnet", models);
            Extractor extractor = new Extractor(new MediaDecoder(35389440L, 1), visual, audio, false, 0);
            ExtractJob.run(Shards.resolve(videos.toString(), "*"), single, extractor, "test", 1, n -> { }, QUIET);
            if (audio instanceof AutoCloseable c) {
                c.close();
            }
        }
        Path out = tmp.resolve("out");
        Outcome o = run("extract", "--master", MASTER, "--videos", videos, "--out", out, "--files-per-task", 2);
        assertEquals(SparkMain.BAD_INPUT, o.status(), "one file failed: " + o.err());
        for (String id : List.of("eagle", "dog", "horses")) {
            for (String modality : List.of("vfeat", "afeat")) {
                Path rel = Path.of(modality, id + ".npy");
                assertArrayEquals(Files.readAllBytes(single.resolve(rel)), Files.readAllBytes(out.resolve(rel)),
                        rel.toString());
            }
        }
        ExtractManifest expected = ExtractJob.readManifest(single);
        ExtractManifest got = ExtractJob.readManifest(out);
        assertEquals(expected.clips(), got.clips());
        assertTrue(got.sameExtractors(expected));
        assertEquals(List.of(videos.resolve("broken.mp4").toString()), List.copyOf(got.failed().keySet()));
        assertTrue(Files.readString(out.resolve("skipped.csv")).contains("broken.mp4"));
        FeatureSet v = FeatureSet.load(out.resolve("vfeat"));
        assertEquals(List.of("dog", "eagle", "horses"), v.ids());
        // the YouTube-8M layout: the frame-level shards vidkit extract --format yt8m writes, byte for byte
        Path singleShards = tmp.resolve("single-yt8m");
        vidkit.media.Yt8mExport.export(single, singleShards, null, 3862, null, 256);
        Path yt = tmp.resolve("yt8m");
        Outcome y = run("extract", "--master", MASTER, "--videos", videos, "--out", yt, "--format", "yt8m");
        assertEquals(SparkMain.BAD_INPUT, y.status(), y.err());
        assertArrayEquals(Files.readAllBytes(singleShards.resolve("train-0000.tfrecord")),
                Files.readAllBytes(yt.resolve("train-0000.tfrecord")));
        assertArrayEquals(Files.readAllBytes(single.resolve("afeat/dog.npy")), Files.readAllBytes(yt.resolve("features/afeat/dog.npy")));
        assertTrue(Files.exists(yt.resolve(JobOutput.REPORT)));
        assertEquals(List.of(), partials(yt));
    }
}
