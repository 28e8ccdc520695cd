package vidkit.tagging;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Checkpoint;
import vidkit.core.Json;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.SyntheticPairs;
import vidkit.data.TaggingDataset;

/** A frozen teacher distilled into a tagger; version-1 tagging checkpoints. */
class TeacherTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    @TempDir static Path shared;
    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = shared.resolve("synthetic");
        SyntheticPairs.write(data, 160, 6, 16, 8, 4, 5);
    }

    private static TaggingConfig config(String... more) throws Exception {
        List<String> o = new ArrayList<>(List.of("type=tagging", "data=" + data, "model.hidden=0", "epochs=20",
                "batchSize=32", "optimizer.learningRate=0.01", "earlyStopping=0", "schedule.kind=constant"));
        o.addAll(List.of(more));
        return TaggingConfig.load(null, o);
    }

    /** Mean |p_student − p_teacher| over every video and class. */
    private static double distance(Path student, Path teacher) throws Exception {
        TaggingDataset d = TaggingDataset.load(data.toString(), false, 300, null, false, QUIET, null);
        try (TrainedTagger s = TrainedTagger.load(student.resolve("checkpoints/last.ckpt"));
                TrainedTagger t = TrainedTagger.load(teacher.resolve("checkpoints/best.ckpt"))) {
            float[] a = s.logits(d, false);
            float[] b = t.logits(d, false);
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += Math.abs(1 / (1 + Math.exp(-a[i])) - 1 / (1 + Math.exp(-b[i])));
            }
            return sum / a.length;
        }
    }

    @Test
    void aStudentDistilledFromAFrozenTeacherFollowsItsPredictions(@TempDir Path runs) throws Exception {
        // the teacher: another architecture (NetVLAD pooling, hidden layer), barely trained, so its predictions are
        // far from the confident ones a student learns from the labels alone
        var teacher = TaggingRuns.train(config("model.pooling.type=netvlad", "model.pooling.clusters=4",
                "model.hidden=16", "seed=2", "epochs=1", "optimizer.learningRate=0.0005"), runs, "t", QUIET);
        byte[] teacherBytes = Files.readAllBytes(teacher.run().bestCheckpoint());
        String t = "teacher={\"run\": \"" + teacher.run().path() + "\"}";
        var plain = TaggingRuns.train(config(), runs, "t", QUIET);
        var distilled = TaggingRuns.train(config(t, "distillWeight=1.0"), runs, "t", QUIET);
        double dPlain = distance(plain.run().path(), teacher.run().path());
        double dDistilled = distance(distilled.run().path(), teacher.run().path());
        assertTrue(dDistilled < 0.5 * dPlain, "distilled " + dDistilled + " vs plain " + dPlain);
        assertArrayEquals(teacherBytes, Files.readAllBytes(teacher.run().bestCheckpoint()), "the teacher is frozen");
        var parents = Json.MAPPER.readTree(distilled.run().provenance().toFile()).get("parentRuns");
        assertEquals(1, parents.size());
        assertEquals("teacher", parents.get(0).get("role").asText());
        assertEquals(teacher.run().bestCheckpoint().toAbsolutePath().normalize().toString(),
                parents.get(0).get("checkpoint").asText());
        assertEquals(0.5, config(t).distillWeight());
        assertThrows(InvalidDataException.class, () -> config("distillWeight=0.5"));
        assertThrows(InvalidDataException.class, () -> config(t, "distillWeight=1.5"));
    }

    /** Version-1 checkpoints written by commit 8e40a3e (tools/MakeV1Checkpoints.java) still load and predict as then. */
    @Test
    void aVersionOneTaggingCheckpointLoadsAndPredictsAsItDidWhenWritten(@TempDir Path dir) throws Exception {
        Path fixtureData = dir.resolve("data");
        SyntheticPairs.write(fixtureData, 40, 4, 6, 5, 3, 7);
        TaggingDataset d = TaggingDataset.load(fixtureData.toString(), false, 300, null, false, QUIET, null);
        float[] expected = Npy.read(Path.of(getClass().getResource("/v1/tagging-v1-logits.npy").toURI())).asFloats();
        Checkpoint c = Checkpoint.read(Path.of(getClass().getResource("/v1/tagging-v1.ckpt").toURI()));
        assertEquals(1, c.formatVersion());
        try (TrainedTagger t = TrainedTagger.load(c)) {
            assertEquals(3, t.state().classNames().length);
            assertArrayEquals(expected, t.logits(d, false), 1e-5f);
        }
    }
}
