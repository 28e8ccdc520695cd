package vidkit.matching;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.BlockMismatchException;
import vidkit.core.Checkpoint;
import vidkit.core.Json;
import vidkit.core.ModelBlocks;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.PairedDataset;
import vidkit.data.SyntheticPairs;

/** {@code "init"} from another run's block, version-1 checkpoints, and the named blocks of v2. */
class RunsOnRunsTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    @TempDir static Path shared;
    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = shared.resolve("synthetic");
        SyntheticPairs.write(data, 160, 6, 16, 8, 4, 3);
    }

    private static float[] values(Parameter p) {
        return p.getArray().toFloatArray();
    }

    private static Map<String, List<Pair<String, Parameter>>> blocks(Path run) throws Exception {
        TrainedMatcher m = TrainedMatcher.load(Path.of(run.toString(), "checkpoints/best.ckpt"));
        return ModelBlocks.of(m.model());
    }

    @Test
    void aBlockStartsFromAnotherRunAndTheRunRecordsItsParent(@TempDir Path runs) throws Exception {
        var source = MatchingRuns.train(TrainTestSupport.smallTwoTower(data, 2, "model.pooling=mean"), runs, "t", QUIET);
        // a learning rate so small that one epoch leaves the parameters where they started (< 1e-6)
        var child = MatchingRuns.train(TrainTestSupport.smallTwoTower(data, 1, "model.pooling=mean",
                "optimizer.learningRate=1e-12", "init={\"run\": \"" + source.run().path() + "\", \"block\": \"video\"}"),
                runs, "t", QUIET);
        var from = blocks(source.run().path());
        var to = blocks(child.run().path());
        assertEquals(from.keySet(), to.keySet());
        for (int i = 0; i < from.get("video").size(); i++) {
            assertArrayEquals(values(from.get("video").get(i).getValue()), values(to.get("video").get(i).getValue()), 1e-6f);
        }
        // the audio tower was not taken: it differs from the trained source's
        float diff = 0;
        float[] a = values(from.get("audio").get(0).getValue());
        float[] b = values(to.get("audio").get(0).getValue());
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff > 1e-3, "audio tower untouched by init, max diff " + diff);
        var parents = Json.MAPPER.readTree(child.run().provenance().toFile()).get("parentRuns");
        assertEquals(1, parents.size());
        assertEquals("init", parents.get(0).get("role").asText());
        assertEquals("video", parents.get(0).get("block").asText());
        assertEquals(source.run().path().toAbsolutePath().normalize().toString(), parents.get(0).get("run").asText());
    }

    @Test
    void aBlockOfAnotherShapeOrNameIsATypedErrorNamingBothRunsAndTheBlock(@TempDir Path runs) throws Exception {
        var source = MatchingRuns.train(TrainTestSupport.smallTwoTower(data, 1), runs, "t", QUIET);
        String init = "init={\"run\": \"" + source.run().path() + "\", \"block\": \"video\"}";
        var e = assertThrows(BlockMismatchException.class, () -> MatchingRuns.train(
                TrainTestSupport.smallTwoTower(data, 1, "model.hidden=24", init), runs, "t", QUIET));
        assertTrue(e.getMessage().contains(source.run().path().toString()) && e.getMessage().contains("'video'")
                && e.getMessage().contains(runs.toString()), e.getMessage());
        var missing = assertThrows(BlockMismatchException.class, () -> MatchingRuns.train(TrainTestSupport.smallTwoTower(
                data, 1, "init={\"run\": \"" + source.run().path() + "\", \"block\": \"nose\"}"), runs, "t", QUIET));
        assertTrue(missing.getMessage().contains("'nose'") && missing.getMessage().contains("video"), missing.getMessage());
        assertThrows(InvalidDataException.class, () -> MatchingRuns.train(TrainTestSupport.smallTwoTower(
                data, 1, "init={\"run\": \"" + runs.resolve("none") + "\", \"block\": \"video\"}"), runs, "t", QUIET));
        assertThrows(InvalidDataException.class, () -> TrainTestSupport.smallTwoTower(data, 1, "init={\"run\": \"x\"}"));
    }

    /**
     * Version-1 checkpoints written by commit 8e40a3e (tools/MakeV1Checkpoints.java) still load and
     * score as then. Tolerance 1e-5 on cosine scores: under MKL's strict reproducible mode (tried in
     * session 8) its GEMM sums in another order than when the scores were written, moving them by
     * ~2e-6 (a few float32 ulps); a wrong or missing weight moves them by orders of magnitude more.
     */
    @Test
    void aVersionOneCheckpointLoadsAndScoresAsItDidWhenWritten(@TempDir Path dir) throws Exception {
        Path v1 = Path.of(getClass().getResource("/v1/matching-v1.ckpt").toURI());
        Path fixtureData = dir.resolve("data");
        SyntheticPairs.write(fixtureData, 40, 4, 6, 5, 3, 7);
        PairedDataset d = PairedDataset.load(fixtureData);
        float[] expected = Npy.read(Path.of(getClass().getResource("/v1/matching-v1-scores.npy").toURI())).asFloats();
        Checkpoint c = Checkpoint.read(v1);
        assertEquals(1, c.formatVersion());
        assertNull(c.blockNames());
        try (TrainedMatcher m = TrainedMatcher.load(c)) {
            assertArrayEquals(expected, m.score(d.video(), d.audio()).values(), 1e-5f);
            // re-saved as version 2, block by block: the same scores
            Path v2 = dir.resolve("v2.ckpt");
            Checkpoint.write(v2, c.header(), m.model(), null);
            Checkpoint again = Checkpoint.read(v2);
            assertEquals(2, again.formatVersion());
            assertEquals(java.util.Set.of("root", "video", "audio", "videoClasses", "audioClasses"), again.blockNames());
            try (TrainedMatcher n = TrainedMatcher.load(again)) {
                assertArrayEquals(expected, n.score(d.video(), d.audio()).values(), 1e-5f);
            }
        }
        assertTrue(Files.size(v1) < 64 * 1024);
    }
}
