package vidkit.similarity;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.Json;
import vidkit.nn.SimilarityModel;
import vidkit.train.Trainer;

class SimilarityTaskTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** Layer-wise decay: input layers train at decay³ of the rate, the fusion at decay², the gate at decay, the head at 1. */
    @Test
    void depthsOfTheModelsParameters() {
        SimilarityModel m = vidkit.nn.SimilarityModelConfig.defaults().build(8, 4, 6, 3);
        m.initialize(ai.djl.ndarray.NDManager.newBaseManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                new ai.djl.ndarray.types.Shape(1, 8), new ai.djl.ndarray.types.Shape(1, 4),
                new ai.djl.ndarray.types.Shape(1, 6));
        int[] seen = new int[4];
        for (var p : m.getParameters()) {
            int d = SimilarityModel.depth(p.getKey());
            seen[d]++;
            if (p.getKey().contains("visualIn") || p.getKey().contains("audioIn") || p.getKey().contains("textIn")) {
                assertEquals(0, d, p.getKey());
            }
        }
        for (int d = 0; d < 4; d++) {
            assertTrue(seen[d] > 0, "no parameter at depth " + d);
        }
    }

    /**
     * Synthetic videos whose features follow their labels: pre-training (tags) and then pairwise
     * fine-tuning from its encoder both learn; the pairwise run's provenance names the pre-training
     * run as its parent; a distill run needs a teacher; pairs made from other shards are refused.
     */
    @Test
    void stagesLearnAndBuildOnEachOther(@TempDir Path dir) throws Exception {
        Path data = SimilarityData.write(dir, 400, 16, 7);
        List<String> common = List.of("data=" + data.resolve("shards/train-0.tfrecord"), "pairs=" + data.resolve("pairs"),
                "model.hidden=64", "model.embedding=16", "batchSize=32", "tags=16");
        var pre = Trainer.train(SimilarityConfig.load(null, concat(common, "stage=pretrain", "epochs=4")),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        var pw = Trainer.train(SimilarityConfig.load(null, concat(common, "stage=pairwise", "epochs=4", "layerDecay=0.8",
                "init={\"run\": \"" + pre.run().path() + "\", \"block\": \"encoder\"}")),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        double rho = ((SimilarityEvaluation.Result) pw.evaluation()).metrics().spearman();
        assertTrue(rho > 0.6, "pairwise Spearman " + rho);
        var parents = Json.MAPPER.readTree(pw.run().provenance().toFile()).get("parentRuns");
        assertEquals("encoder", parents.get(0).get("block").asText());
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(SimilarityConfig.load(null,
                concat(common, "stage=distill")), Trainer.Options.of(dir.resolve("runs"), "t", QUIET)));
        assertTrue(e.getMessage().contains("teacher"), e.getMessage());
        var d = Trainer.train(SimilarityConfig.load(null, concat(common, "stage=distill", "epochs=2",
                "teacher={\"run\": \"" + pw.run().path() + "\"}")), Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        assertTrue(((SimilarityEvaluation.Result) d.evaluation()).metrics().spearman() > 0.5);
        // a blend of the pairwise and distilled runs: learns, and names both as members
        var b = Trainer.train(SimilarityConfig.load(null, concat(common, "stage=blend", "epochs=3", "model.hidden=32",
                "members=[\"" + pw.run().path() + "\", \"" + d.run().path() + "\"]")),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        assertTrue(((SimilarityEvaluation.Result) b.evaluation()).metrics().spearman() > 0.5);
        var roles = Json.MAPPER.readTree(b.run().provenance().toFile()).get("parentRuns");
        assertEquals(2, roles.size());
        assertEquals("member", roles.get(0).get("role").asText());
        // the blend reopened from its checkpoint embeds through its members, as in training
        try (TrainedSimilarity t = TrainedSimilarity.load(b.run().inferenceCheckpoint())) {
            assertEquals(16, t.embeddingDim());
        }
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(SimilarityConfig.load(null, concat(common,
                "stage=blend")), Trainer.Options.of(dir.resolve("runs"), "t", QUIET)));
        Path other = SimilarityData.write(dir.resolve("other"), 100, 4, 9);
        var bad = assertThrows(vidkit.data.InvalidDataException.class, () -> Trainer.train(SimilarityConfig.load(null,
                List.of("data=" + other.resolve("shards/train-0.tfrecord"), "pairs=" + data.resolve("pairs"))),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET)));
        assertTrue(bad.getMessage().contains("other shards"), bad.getMessage());
    }

    /**
     * The text stream on a small fixture: videos whose features are pure noise but whose titles name
     * their labels ("a clip of dogs and surfing"). Without titles the pairwise stage learns nothing
     * that holds on validation pairs; with them (MiniLM sentence vectors of the titles) it ranks the
     * pairs well. The reopened run embeds through its titles as in training, and a titles file with
     * an unknown id, an empty title or a repeated id is a typed error naming the line.
     */
    @Test
    void titlesAreATextStreamTheModelLearnsFrom(@TempDir Path dir) throws Exception {
        Path data = SimilarityData.write(dir, 400, 8, 11, 0.0);
        List<String> common = List.of("data=" + data.resolve("shards/train-0.tfrecord"), "pairs=" + data.resolve("pairs"),
                "model.hidden=64", "model.embedding=16", "batchSize=32", "stage=pairwise", "epochs=6",
                "optimizer.learningRate=0.003");
        var without = Trainer.train(SimilarityConfig.load(null, common), Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        double rhoWithout = ((SimilarityEvaluation.Result) without.evaluation()).metrics().spearman();
        var with = Trainer.train(SimilarityConfig.load(null, concat(common, "titles=" + data.resolve("titles.csv"))),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        double rhoWith = ((SimilarityEvaluation.Result) with.evaluation()).metrics().spearman();
        assertTrue(rhoWithout < 0.3, "noise features alone: Spearman " + rhoWithout);
        assertTrue(rhoWith > 0.6 && rhoWith > rhoWithout + 0.3, "with titles " + rhoWith + ", without " + rhoWithout);
        try (TrainedSimilarity t = TrainedSimilarity.load(with.run().inferenceCheckpoint())) {
            assertEquals(16, t.embeddingDim());
        }
        java.util.Set<String> ids = java.util.Set.of("v0000", "v0001");
        Path bad = dir.resolve("bad.csv");
        for (String[] c : new String[][] {{"id,title\nv0000,dogs\nv9999,cats\n", "line 3: unknown video id 'v9999'"},
            {"id,title\nv0000,  \n", "line 2: video v0000 has an empty title"},
            {"id,title\nv0000,dogs\nv0001,cats\nv0000,fish\n", "line 4: video v0000 has a second title"},
            {"id;title\n", "line 1: expected the header id,title"}}) {
            java.nio.file.Files.writeString(bad, c[0]);
            var e = assertThrows(vidkit.data.InvalidDataException.class, () -> TitlesFile.read(bad, ids));
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("bad.csv"), e.getMessage());
        }
    }

    /**
     * Frame level: each modality's frames pooled by NetVLAD (padding masked) before the encoder;
     * pre-training and pairwise learn on frame-level shards, the run re-opens and embeds the same,
     * and a frame-level config without a pooling (or a pooling at video level) is refused.
     */
    @Test
    void frameLevelShardsArePooledByNetVlad(@TempDir Path dir) throws Exception {
        Path data = SimilarityData.writeFrameLevel(dir, 300, 8, 13);
        List<String> common = List.of("data=" + data.resolve("frames/train-0.tfrecord"), "pairs=" + data.resolve("pairs"),
                "frameLevel=true", "model.pooling={\"type\": \"netvlad\", \"clusters\": 4}", "model.hidden=32",
                "model.embedding=16", "batchSize=32", "tags=8");
        var pre = Trainer.train(SimilarityConfig.load(null, concat(common, "stage=pretrain", "epochs=3",
                "optimizer.learningRate=0.003")), Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        var pw = Trainer.train(SimilarityConfig.load(null, concat(common, "stage=pairwise", "epochs=4",
                "optimizer.learningRate=0.002", "init={\"run\": \"" + pre.run().path() + "\", \"block\": \"encoder\"}")),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        double rho = ((SimilarityEvaluation.Result) pw.evaluation()).metrics().spearman();
        assertTrue(rho > 0.5, "frame-level pairwise Spearman " + rho);
        try (TrainedSimilarity t = TrainedSimilarity.load(pw.run().inferenceCheckpoint())) {
            assertTrue(t.frameLevel());
            var evaluated = SimilarityEvaluation.evaluate(pw.run(), null, QUIET);
            assertEquals(rho, evaluated.metrics().spearman(), 1e-9, "the re-opened run embeds as in training");
        }
        var noPooling = assertThrows(vidkit.data.InvalidDataException.class, () -> SimilarityConfig.load(null,
                List.of("data=x", "pairs=y", "frameLevel=true")));
        assertTrue(noPooling.getMessage().contains("model.pooling"), noPooling.getMessage());
        assertThrows(vidkit.data.InvalidDataException.class, () -> SimilarityConfig.load(null, List.of("data=x",
                "pairs=y", "model.pooling={\"type\": \"mean\"}")));
    }

    /**
     * k-fold: each of k runs leaves out its own fold of the training pairs, every pair left out
     * exactly once, and each fold holds the three kinds of draw in proportion.
     */
    @Test
    void foldsLeaveOutOnePartOfThePairsEach(@TempDir Path dir) throws Exception {
        Path data = SimilarityData.write(dir, 200, 8, 3);
        int all = PairsFile.read(data.resolve("pairs/train-pairs.csv"), null).size();
        int total = 0;
        for (int fold = 0; fold < 3; fold++) {
            var config = SimilarityConfig.load(null, List.of("data=" + data.resolve("shards/train-0.tfrecord"),
                    "pairs=" + data.resolve("pairs"), "stage=pairwise", "folds=3", "fold=" + fold));
            int n = new SimilarityTask.Job(config, null, null, null, QUIET).trainingSize();
            int leftOut = 0;
            for (int i = 0; i < all; i++) {
                leftOut += SimilarityTask.foldOf(i, 3) == fold ? 1 : 0;
            }
            assertEquals(all - leftOut, n, "fold " + fold);
            total += n;
        }
        assertEquals(2 * all, total);
        // the folds mix the draws: pairs are drawn uniform, sharing, sharing, …, so each fold must hold
        // about a third of each kind (i mod 3 would give fold 0 all the uniform pairs and none else)
        for (int fold = 0; fold < 3; fold++) {
            int uniform = 0;
            int inFold = 0;
            for (int i = 0; i < 30_000; i++) {
                if (SimilarityTask.foldOf(i, 3) == fold) {
                    inFold++;
                    uniform += i % 3 == 0 ? 1 : 0;
                }
            }
            assertEquals(1.0 / 3, (double) uniform / inFold, 0.02, "fold " + fold);
            assertEquals(10_000, inFold, 300);
        }
        var e = assertThrows(vidkit.data.InvalidDataException.class, () -> SimilarityConfig.load(null, List.of("data=x",
                "pairs=y", "stage=pairwise", "folds=3", "fold=3")));
        assertTrue(e.getMessage().contains("fold"), e.getMessage());
        assertThrows(vidkit.data.InvalidDataException.class, () -> SimilarityConfig.load(null, List.of("data=x", "pairs=y",
                "stage=pretrain", "folds=3")));
    }

    /**
     * Stacking: with {@code heldOut} the pre-training and pairwise stages train without the held-out
     * videos and a blend only on the pairs among them — the same videos in every run.
     */
    @Test
    void heldOutVideosSeparateTheMembersFromTheBlend(@TempDir Path dir) throws Exception {
        Path data = SimilarityData.write(dir, 300, 8, 21);
        List<String> common = List.of("data=" + data.resolve("shards/train-0.tfrecord"), "pairs=" + data.resolve("pairs"),
                "heldOut=0.3");
        var pretrain = new SimilarityTask.Job(SimilarityConfig.load(null, concat(common, "stage=pretrain")), null, null,
                null, QUIET);
        var pairwise = new SimilarityTask.Job(SimilarityConfig.load(null, concat(common, "stage=pairwise")), null, null,
                null, QUIET);
        int all = PairsFile.read(data.resolve("pairs/train-pairs.csv"), null).size();
        int trainVideos = vidkit.data.Split.read(data.resolve("pairs/split")).train().size();
        assertTrue(pretrain.trainingSize() > trainVideos * 0.55 && pretrain.trainingSize() < trainVideos * 0.85,
                "pre-training videos " + pretrain.trainingSize() + " of " + trainVideos);
        assertTrue(pairwise.trainingSize() < all * 0.7, "pairwise pairs " + pairwise.trainingSize() + " of " + all);
        var plain = new SimilarityTask.Job(SimilarityConfig.load(null, List.of("data=" + data.resolve(
                "shards/train-0.tfrecord"), "pairs=" + data.resolve("pairs"), "stage=pairwise")), null, null, null, QUIET);
        assertEquals(all, plain.trainingSize());
        assertThrows(vidkit.data.InvalidDataException.class, () -> SimilarityConfig.load(null, concat(common,
                "heldOut=0.7")));
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
