package vidkit.matching;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.data.SyntheticPairs;
import vidkit.data.UnsupportedFormatVersionException;

class MatchingTaskTest {
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
        var r = MatchingRuns.train(TrainTestSupport.smallTwoTower(synthetic, 2), runs, "test", QUIET);
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
        assertEquals(0, prov.get("parentRuns").size());
        // the resolved config has every default filled in and parses back to the same config
        MatchingConfig resolved = Json.MAPPER.readValue(dir.resolve("config.json").toFile(), MatchingConfig.class);
        assertEquals(TrainTestSupport.smallTwoTower(synthetic, 2), resolved);
        Split split = Split.read(dir.resolve("split"));
        assertEquals(240, split.train().size() + split.validation().size());
        try (var s = Files.list(dir.resolve("checkpoints"))) {
            assertEquals(2, s.count(), "no temporary files left");
        }
    }

    @Test
    void tensorBoardEventsHoldTheFileVersionStepLossesAndTheEpochMetrics(@TempDir Path runs) throws Exception {
        var r = MatchingRuns.train(TrainTestSupport.smallTwoTower(synthetic, 2), runs, "test", QUIET);
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
    void loadedModelScoresExactlyAsTheTrainedOne(@TempDir Path runs) throws Exception {
        var r = MatchingRuns.train(TrainTestSupport.smallTwoTower(synthetic, 2), runs, "test", QUIET);
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
        var e = assertThrows(InvalidDataException.class, () -> MatchingConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("c.json") && e.getMessage().contains("epoch"), e.getMessage());
        Files.writeString(f, "{\"data\": \"x\", \"model\": {\"type\": \"twotower\", \"kernel\": 2}}");
        e = assertThrows(InvalidDataException.class, () -> MatchingConfig.load(f, List.of()));
        assertTrue(e.getMessage().contains("kernel must be odd"), e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> MatchingConfig.load(null, List.of("model.type=twotower")));
        assertTrue(e.getMessage().contains("data"), e.getMessage());
        MatchingConfig c = MatchingConfig.load(null, List.of("data=x", "model.type=twotower", "model.hidden=64", "seed=9"));
        assertEquals(9L, c.seed());
        assertEquals(64, ((vidkit.nn.TwoTowerConfig) c.model()).hidden());
        assertThrows(InvalidDataException.class, () -> MatchingConfig.load(dir.resolve("none.json"), List.of()));
    }

    @Test
    void timeShiftRollsBothModalitiesAlike() {
        // 1 clip, 4 frames, 2 features: frame t holds (t, 10 + t)
        float[] v = {0, 10, 1, 11, 2, 12, 3, 13};
        var set = new vidkit.data.FeatureSet(Path.of("x"), List.of("a"), 4, 2, v, "x");
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var none = new AugmentConfig(0.0, 0);
            assertArrayEquals(v, MatchingTask.batchOf(m, set, new int[] {0}, new int[] {0}, none).toFloatArray());
            assertArrayEquals(new float[] {3, 13, 0, 10, 1, 11, 2, 12},
                    MatchingTask.batchOf(m, set, new int[] {0}, new int[] {1}, none).toFloatArray());
            assertArrayEquals(new float[] {1, 11, 2, 12, 3, 13, 0, 10},
                    MatchingTask.batchOf(m, set, new int[] {0}, new int[] {-1}, none).toFloatArray());
        }
        int[] s = MatchingTask.shifts(1000, 2, new java.util.Random(1));
        assertEquals(-2, java.util.Arrays.stream(s).min().getAsInt());
        assertEquals(2, java.util.Arrays.stream(s).max().getAsInt());
    }
}
