package vidkit.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.data.SyntheticPairs;
import vidkit.data.UnsupportedFormatVersionException;

class TrainerTest {
    @TempDir static Path shared;
    static Path synthetic;

    @BeforeAll
    static void makeData() throws Exception {
        synthetic = shared.resolve("synthetic");
        SyntheticPairs.write(synthetic, 240, 6, 16, 8, 6, 11);
    }

    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void runDirectoryHoldsConfigProvenanceSplitMetricsAndCheckpoints(@TempDir Path runs) throws Exception {
        var r = MatchingTrainer.train(TrainTestSupport.smallTwoTower(synthetic, 2), runs, "test", QUIET);
        Path dir = r.run().path();
        for (String f : List.of("config.json", "provenance.json", "metrics.csv", "evaluation.json",
                "split/train-ids.txt", "split/validation-ids.txt", "checkpoints/last.ckpt", "checkpoints/best.ckpt",
                "evaluation-similarity.npy", "evaluation-ids.txt")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        assertEquals(3, Files.readAllLines(dir.resolve("metrics.csv")).size());
        var prov = Json.MAPPER.readTree(dir.resolve("provenance.json").toFile());
        assertEquals(PairedDataset.load(synthetic).fingerprint(), prov.get("dataFingerprint").asText());
        assertEquals(1, prov.get("seed").asLong());
        // the resolved config has every default filled in and parses back to the same config
        TrainConfig resolved = Json.MAPPER.readValue(dir.resolve("config.json").toFile(), TrainConfig.class);
        assertEquals(TrainTestSupport.smallTwoTower(synthetic, 2), resolved);
        Split split = Split.read(dir.resolve("split"));
        assertEquals(240, split.train().size() + split.validation().size());
        try (var s = Files.list(dir.resolve("checkpoints"))) {
            assertEquals(2, s.count(), "no temporary files left");
        }
    }

    @Test
    void sameSeedSameMetricsAndResumeContinuesExactly(@TempDir Path runs) throws Exception {
        TrainConfig config = TrainTestSupport.smallTwoTower(synthetic, 4);
        var full = MatchingTrainer.train(config, runs, "test", QUIET);
        var again = MatchingTrainer.train(config, runs, "test", QUIET);
        List<String> a = metricColumns(full.run().path());
        assertEquals(a, metricColumns(again.run().path()), "same seed and threads, same metrics");

        // a run killed after epoch 2: train 2 epochs, then resume to 4
        TrainConfig shortConfig = TrainTestSupport.smallTwoTower(synthetic, 4, "epochs=2");
        var part = MatchingTrainer.train(shortConfig, runs, "test", QUIET);
        // make the run's stored config ask for 4 epochs, as the killed run did
        Checkpoint last = Checkpoint.read(part.run().lastCheckpoint());
        CheckpointHeader h = last.header();
        CheckpointHeader h4 = new CheckpointHeader(h.vidkitVersion(), config, h.epoch(), h.frames(), h.videoDim(),
                h.audioDim(), h.classes(), h.videoNormalizer(), h.audioNormalizer(), h.schedule(), h.bestMetric(), h.bestEpoch(),
                h.epochsWithoutImprovement());
        rewriteHeader(part.run().lastCheckpoint(), last, h4);
        var resumed = MatchingTrainer.resume(part.run(), "test", QUIET);
        assertEquals(2, resumed.epochsRun());
        assertEquals(a, metricColumns(resumed.run().path()), "resumed run equals the uninterrupted one");
    }

    private static void rewriteHeader(Path file, Checkpoint c, CheckpointHeader h) throws Exception {
        var payload = new java.io.ByteArrayOutputStream();
        var out = new java.io.DataOutputStream(payload);
        for (byte[] part : new byte[][] {Json.MAPPER.writeValueAsBytes(h), c.modelParameters(), c.optimizerState()}) {
            out.writeInt(part.length);
            out.write(part);
        }
        vidkit.data.FramedFile.write(file, Checkpoint.MAGIC, Checkpoint.VERSION, payload.toByteArray());
    }

    /** Epoch, loss and validation columns (not timings). */
    private static List<String> metricColumns(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.csv")).stream().skip(1)
                .map(l -> String.join(",", List.of(l.split(",")).subList(0, 6))).toList();
    }

    @Test
    void tensorBoardEventsHoldTheFileVersionStepLossesAndTheEpochMetrics(@TempDir Path runs) throws Exception {
        var r = MatchingTrainer.train(TrainTestSupport.smallTwoTower(synthetic, 2), runs, "test", QUIET);
        List<Path> files;
        try (var s = Files.list(r.run().path())) {
            files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
        assertEquals(1, files.size());
        List<vidkit.data.TfEvents.Scalar> scalars = new java.util.ArrayList<>();
        try (var reader = vidkit.data.TfRecordReader.open(files.get(0))) {
            assertEquals(vidkit.data.TfEvents.FILE_VERSION, vidkit.data.TfEvents.fileVersionOf(reader.next()));
            byte[] e;
            while ((e = reader.next()) != null) {
                scalars.addAll(vidkit.data.TfEvents.scalars(e));
            }
        }
        List<String> csv = Files.readAllLines(r.run().metrics());
        List<String> header = List.of(csv.get(0).split(","));
        int mrr = header.indexOf("validation_mrr");
        for (int epoch = 1; epoch <= 2; epoch++) {
            final long step = epoch;
            float expected = Float.parseFloat(csv.get(epoch).split(",")[mrr]);
            var found = scalars.stream().filter(x -> x.tag().equals("epoch/validation_mrr") && x.step() == step).toList();
            assertEquals(1, found.size());
            assertEquals(expected, found.get(0).value(), 1e-6);
        }
        long losses = scalars.stream().filter(x -> x.tag().equals("train/loss")).count();
        assertTrue(losses >= 2, "a train/loss per step");
        assertEquals(losses, scalars.stream().filter(x -> x.tag().equals("train/loss")).mapToLong(x -> x.step()).max().orElse(0));
    }

    @Test
    void corruptAndTooNewCheckpointsAreRejected(@TempDir Path runs) throws Exception {
        var r = MatchingTrainer.train(TrainTestSupport.smallTwoTower(synthetic, 1), runs, "test", QUIET);
        Path ckpt = r.run().lastCheckpoint();
        byte[] bytes = Files.readAllBytes(ckpt);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        Path bad = runs.resolve("bad.ckpt");
        Files.write(bad, flipped);
        assertThrows(CorruptFileException.class, () -> TrainedMatcher.load(bad));
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThrows(CorruptFileException.class, () -> TrainedMatcher.load(bad));
        Checkpoint c = Checkpoint.read(ckpt);
        var payload = new java.io.ByteArrayOutputStream();
        var out = new java.io.DataOutputStream(payload);
        for (byte[] part : new byte[][] {c.headerJson(), c.modelParameters(), c.optimizerState()}) {
            out.writeInt(part.length);
            out.write(part);
        }
        vidkit.data.FramedFile.write(bad, Checkpoint.MAGIC, Checkpoint.VERSION + 1, payload.toByteArray());
        var e = assertThrows(UnsupportedFormatVersionException.class, () -> TrainedMatcher.load(bad));
        assertTrue(e.getMessage().contains("newer vidkit"), e.getMessage());
        assertThrows(InvalidDataException.class, () -> RunDirectory.open(runs.resolve("missing")));
    }

    @Test
    void loadedModelScoresExactlyAsTheTrainedOne(@TempDir Path runs) throws Exception {
        var r = MatchingTrainer.train(TrainTestSupport.smallTwoTower(synthetic, 2), runs, "test", QUIET);
        PairedDataset data = PairedDataset.load(synthetic);
        try (TrainedMatcher a = TrainedMatcher.load(r.run().bestCheckpoint());
                TrainedMatcher b = TrainedMatcher.load(r.run().bestCheckpoint())) {
            var s1 = a.score(data.video(), data.audio());
            var s2 = b.score(data.video(), data.audio());
            assertArrayEquals(s1.values(), s2.values());
            // a clip set of the wrong shape is rejected with the directory named
            var wrong = data.video().select(new int[] {0, 1});
            var e = assertThrows(InvalidDataException.class, () -> a.score(data.audio(), wrong));
            assertTrue(e.getMessage().contains("trained on"), e.getMessage());
        }
    }

    @Test
    void configErrorsNameTheProblem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"data\": \"x\", \"epoch\": 3}");
        var e = assertThrows(InvalidDataException.class, () -> TrainConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("c.json") && e.getMessage().contains("epoch"), e.getMessage());
        Files.writeString(f, "{\"data\": \"x\", \"model\": {\"type\": \"twotower\", \"kernel\": 2}}");
        e = assertThrows(InvalidDataException.class, () -> TrainConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("kernel must be odd"), e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> TrainConfig.load(null, List.of("model.type=twotower")));
        assertTrue(e.getMessage().contains("data"), e.getMessage());
        TrainConfig c = TrainConfig.load(null, List.of("data=x", "model.type=twotower", "model.hidden=64", "seed=9"));
        assertEquals(9L, c.seed());
        assertEquals(64, ((vidkit.nn.TwoTowerConfig) c.model()).hidden());
        assertThrows(InvalidDataException.class, () -> TrainConfig.load(dir.resolve("none.json"), List.of()));
    }

    @Test
    void schedulesFollowTheirRules() {
        var cos = new LearningRateSchedule(new ScheduleConfig(ScheduleConfig.Kind.COSINE, null, null, 0.0, 1), 1.0, 11);
        assertEquals(0.5, cos.rate(0), 1e-12);
        assertEquals(1.0, cos.rate(1), 1e-12);
        // decay over epochs 1..10: epoch 4 is k = 3/9, (1 + cos(pi/3)) / 2 = 0.75
        assertEquals(0.75, cos.rate(4), 1e-12);
        assertEquals(0.0, cos.rate(10), 1e-12);
        var plateau = new LearningRateSchedule(new ScheduleConfig(ScheduleConfig.Kind.PLATEAU, 0.5, 1, 0.1, null), 1.0, 10);
        plateau.observe(0.5);
        plateau.observe(0.4);
        assertEquals(1.0, plateau.rate(2));
        plateau.observe(0.4);
        assertEquals(0.5, plateau.rate(3));
        for (int i = 0; i < 10; i++) {
            plateau.observe(0);
        }
        assertEquals(0.1, plateau.rate(9), 1e-12);
    }

    @Test
    void timeShiftRollsBothModalitiesAlike() {
        // 1 clip, 4 frames, 2 features: frame t holds (t, 10 + t)
        float[] v = {0, 10, 1, 11, 2, 12, 3, 13};
        var set = new vidkit.data.FeatureSet(Path.of("x"), List.of("a"), 4, 2, v, "x");
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var none = new AugmentConfig(0.0, 0);
            assertArrayEquals(v, MatchingTrainer.batchOf(m, set, new int[] {0}, new int[] {0}, none).toFloatArray());
            assertArrayEquals(new float[] {3, 13, 0, 10, 1, 11, 2, 12},
                    MatchingTrainer.batchOf(m, set, new int[] {0}, new int[] {1}, none).toFloatArray());
            assertArrayEquals(new float[] {1, 11, 2, 12, 3, 13, 0, 10},
                    MatchingTrainer.batchOf(m, set, new int[] {0}, new int[] {-1}, none).toFloatArray());
        }
        int[] s = MatchingTrainer.shifts(1000, 2, new java.util.Random(1));
        assertEquals(-2, java.util.Arrays.stream(s).min().getAsInt());
        assertEquals(2, java.util.Arrays.stream(s).max().getAsInt());
    }

    @Test
    void shippedConfigsParse() throws Exception {
        Path configs = Path.of(System.getProperty("vidkit.root", "..")).resolve("configs");
        List<Path> files;
        try (var s = Files.list(configs)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no configs in " + configs);
        for (Path f : files) {
            var tree = Configs.readTree(f, List.of());
            if (Configs.task(tree).equals("tagging")) {
                TaggingTrainConfig c = TaggingTrainConfig.parse(tree, f);
                assertTrue(c.data().startsWith("../shared/data/"), f.toString());
            } else {
                TrainConfig c = TrainConfig.parse(tree, f);
                assertEquals("../shared/data/std2022/train", c.data(), f.toString());
            }
        }
    }
}
