package vidkit.tagging;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.InvalidDataException;
import vidkit.data.TaggingDataset;
import vidkit.data.TfExample;
import vidkit.data.TfFeature;
import vidkit.data.TfRecordCorruptException;
import vidkit.data.TfRecordWriter;
import vidkit.data.Yt8mReader;

class TaggingTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    static final int CLASSES = 6;
    @TempDir
    static Path shards;

    /**
     * Frame-level shards written by our writer: 3 shards × 40 videos, 4–16 frames, one or two of 6
     * classes; class k lifts rgb bytes [8k, 8k+8) and audio bytes [4k, 4k+4) in every frame.
     */
    @BeforeAll
    static void writeShards() throws Exception {
        Random r = new Random(5);
        int video = 0;
        for (int s = 0; s < 3; s++) {
            try (TfRecordWriter w = new TfRecordWriter(shards.resolve("train-" + s + ".tfrecord"))) {
                for (int i = 0; i < 40; i++) {
                    int c1 = r.nextInt(CLASSES);
                    long[] labels = r.nextBoolean() ? new long[] {c1} : new long[] {c1, (c1 + 1 + r.nextInt(CLASSES - 1)) % CLASSES};
                    int frames = 4 + r.nextInt(13);
                    List<TfFeature> rgb = new ArrayList<>();
                    List<TfFeature> audio = new ArrayList<>();
                    for (int t = 0; t < frames; t++) {
                        byte[] q = new byte[Yt8mReader.RGB_DIM];
                        byte[] a = new byte[Yt8mReader.AUDIO_DIM];
                        for (int k = 0; k < q.length; k++) {
                            q[k] = (byte) (108 + r.nextInt(40));
                        }
                        for (int k = 0; k < a.length; k++) {
                            a[k] = (byte) (108 + r.nextInt(40));
                        }
                        for (long c : labels) {
                            for (int k = 0; k < 8; k++) {
                                q[(int) c * 8 + k] = (byte) 230;
                            }
                            for (int k = 0; k < 4; k++) {
                                a[(int) c * 4 + k] = (byte) 230;
                            }
                        }
                        rgb.add(new TfFeature.Bytes(List.of(q)));
                        audio.add(new TfFeature.Bytes(List.of(a)));
                    }
                    Map<String, TfFeature> ctx = new LinkedHashMap<>();
                    ctx.put("id", new TfFeature.Bytes(List.of(("v" + video++).getBytes(StandardCharsets.UTF_8))));
                    ctx.put("labels", new TfFeature.Int64s(labels));
                    w.write(new TfExample(ctx, Map.of("rgb", rgb, "audio", audio)).encodeSequenceExample());
                }
            }
        }
    }

    static TaggingConfig frameLevel(String... more) throws Exception {
        List<String> o = new ArrayList<>(List.of("type=tagging", "data=" + shards.resolve("train-*.tfrecord"),
                "frameLevel=true", "split.stratify=false", "split.grouped=false", "epochs=3", "batchSize=16", "model.hidden=16",
                "optimizer.learningRate=0.01", "schedule.kind=constant", "earlyStopping=0"));
        o.addAll(List.of(more));
        return TaggingConfig.load(null, o);
    }

    @Test
    void aveEventsAreLearnedFarAboveChanceWithAccuracyAndConfusion(@TempDir Path runs) throws Exception {
        TaggingConfig config = TaggingConfig.load(null, List.of("type=tagging",
                "data=" + vidkit.train.TestData.courseData(), "model.classifier.type=logistic", "epochs=4", "batchSize=64",
                "optimizer.learningRate=0.003", "schedule.kind=constant"));
        var r = TaggingRuns.train(config, runs, "test", QUIET);
        // 28 classes: chance accuracy 0.036; the visual nearest-centroid reference is about 0.75
        assertTrue(r.evaluation().accuracy() > 0.5, "accuracy " + r.evaluation().accuracy());
        int total = 0;
        for (int[] row : r.evaluation().confusion()) {
            for (int x : row) {
                total += x;
            }
        }
        assertEquals(r.evaluation().videos(), total);
        assertTrue(Files.exists(r.run().path().resolve("evaluation-confusion.csv")));
        assertTrue(Files.readString(r.run().path().resolve("evaluation-confusion.csv")).contains("Church bell"));
    }

    @Test
    void frameLevelNetVladTrainsEvaluatesAndPredictsFromOurOwnShards(@TempDir Path runs) throws Exception {
        TaggingConfig config = frameLevel("model.pooling.type=netvlad", "model.pooling.clusters=4",
                "model.hidden=32", "model.inputGating=true", "model.outputGating=true", "epochs=6");
        var r = TaggingRuns.train(config, runs, "test", QUIET);
        // 6 used classes of 3,862, one or two labels per video: a learned tagger ranks them on top
        assertTrue(r.evaluation().hitAtOne() > 0.6, "Hit@1 " + r.evaluation().hitAtOne());
        assertTrue(r.evaluation().gap() > 0.5, "GAP " + r.evaluation().gap());
        assertNull(r.evaluation().accuracy());
        Path out = runs.resolve("submission.csv");
        int n = TaggingPredictions.write(r.run(), shards.resolve("train-1.tfrecord").toString(), out, 20, QUIET);
        assertEquals(40, n);
        List<String> lines = Files.readAllLines(out);
        assertEquals("VideoId,LabelConfidencePairs", lines.get(0));
        assertEquals(41, lines.size());
        String[] pairs = lines.get(1).split(",")[1].split(" ");
        assertEquals(40, pairs.length);
        double previous = 2;
        for (int i = 0; i < pairs.length; i += 2) {
            int label = Integer.parseInt(pairs[i]);
            double p = Double.parseDouble(pairs[i + 1]);
            assertTrue(label >= 0 && label < 3862 && p >= 0 && p <= 1 && p <= previous);
            previous = p;
        }
    }

    @Test
    void theValidationLossIsTheTrainingLossFocalIncluded(@TempDir Path runs) throws Exception {
        // a focal tagger's validation loss must be focal too (it was plain cross-entropy once)
        var r = TaggingRuns.train(frameLevel("epochs=1", "model.focalGamma=2"), runs, "test", QUIET);
        try (TrainedTagger t = TrainedTagger.load(r.run().lastCheckpoint());
                var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            TaggingDataset all = TaggingTask.loadData(t.config(), QUIET);
            TaggingDataset val = TaggingBatches.normalized(all.selectIds(vidkit.data.Split.read(r.run().splitDir())
                    .validation()), t.state().visualNormalizer(), t.state().audioNormalizer());
            float[] logits = TrainedTagger.logitsOf(m, t.block(), val);
            // the focal loss by hand: mean over videos of sum over classes of -(1 - p_t)^2 log p_t
            double byHand = 0;
            int classes = val.classes();
            for (int v = 0; v < val.size(); v++) {
                java.util.Set<Integer> truth = new java.util.HashSet<>();
                for (int l : val.labels()[v]) {
                    truth.add(l);
                }
                for (int c = 0; c < classes; c++) {
                    double p = 1 / (1 + Math.exp(-logits[v * classes + c]));
                    double pt = truth.contains(c) ? p : 1 - p;
                    byHand += -Math.pow(1 - pt, 2) * Math.log(pt);
                }
            }
            byHand /= val.size();
            List<String> csv = Files.readAllLines(r.run().metrics());
            int col = List.of(csv.get(0).split(",")).indexOf("validation_loss");
            double logged = Double.parseDouble(csv.get(1).split(",")[col]);
            assertEquals(byHand, logged, 1e-3 * Math.max(1, byHand));
            assertEquals(byHand, TaggingTask.meanLoss(m, t.block(), logits, val), 1e-3 * Math.max(1, byHand));
        }
    }

    @Test
    void corruptShardsFailWithOffsetsOrAreSkippedAndReported(@TempDir Path dir) throws Exception {
        Path src = shards.resolve("train-0.tfrecord");
        byte[] bytes = Files.readAllBytes(src);
        bytes[bytes.length / 2] ^= 0x20;
        Path bad = dir.resolve("bad.tfrecord");
        Files.write(bad, bytes);
        List<String> common = List.of("type=tagging", "data=" + bad, "frameLevel=true", "split.stratify=false",
                "epochs=1", "batchSize=8");
        var e = assertThrows(TfRecordCorruptException.class,
                () -> TaggingRuns.train(TaggingConfig.load(null, common), dir.resolve("runs"), "t", QUIET));
        assertTrue(e.getMessage().contains("bad.tfrecord") && e.getMessage().contains("at byte"), e.getMessage());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> skipping = new ArrayList<>(common);
        skipping.add("skipCorrupt=true");
        TaggingRuns.train(TaggingConfig.load(null, skipping), dir.resolve("runs"), "t", new PrintStream(log));
        assertTrue(log.toString().contains("skipped 1 corrupt record(s)"), log.toString());
    }

    @Test
    void stratifyingLabelSetsAndBadConfigsAreClearErrors(@TempDir Path runs) throws Exception {
        TaggingConfig stratified = frameLevel("split.stratify=true");
        var e = assertThrows(InvalidDataException.class, () -> TaggingRuns.train(stratified, runs, "t", QUIET));
        assertTrue(e.getMessage().contains("split.stratify=false"), e.getMessage());
        assertThrows(InvalidDataException.class, () -> frameLevel("model.pooling.type=netvlod"));
        assertThrows(InvalidDataException.class, () -> frameLevel("model.hiddn=3"));
        assertThrows(InvalidDataException.class, () -> frameLevel("model.classifier.mixtures=0"));
        assertThrows(InvalidDataException.class,
                () -> TaggingRuns.train(frameLevel("data=" + runs.resolve("none*.tfrecord")), runs, "t", QUIET));
    }
}
