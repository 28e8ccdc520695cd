import java.nio.file.*;
import java.util.*;
import java.io.*;
import vidkit.data.*;
import vidkit.train.*;

/**
 * Made the version-1 checkpoint fixtures under matching/ and tagging/src/test/resources/v1 (and the
 * scores they give) with the vidkit of commit 8e40a3e, the last to write version 1:
 *   javac -cp "cli/target/vidkit.jar:cli/target/lib/*" -d /tmp/v1 tools/MakeV1Checkpoints.java
 *   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "/tmp/v1:cli/target/vidkit.jar:cli/target/lib/*" MakeV1Checkpoints OUT
 * Data: SyntheticPairs.write(dir, 40 clips, 4 frames, video 6, audio 5, 3 classes, seed 7), which the tests regenerate.
 * It compiles only against that commit (MatchingTrainer, TrainConfig, ... are gone since).
 */
public class MakeV1Checkpoints {
    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]);
        Files.createDirectories(out);
        Path data = Files.createTempDirectory("v1data");
        SyntheticPairs.write(data, 40, 4, 6, 5, 3, 7);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TrainConfig mc = TrainConfig.load(null, List.of("data=" + data, "model.type=twotower", "model.hidden=8",
            "model.embedding=4", "model.pooling=mean", "epochs=1", "batchSize=16", "evaluation.draws=10", "evaluation.bootstrap=10",
            "schedule.kind=constant"));
        var r = MatchingTrainer.train(mc, Files.createTempDirectory("v1runs"), "fixture", quiet);
        Files.copy(r.run().lastCheckpoint(), out.resolve("matching-v1.ckpt"), StandardCopyOption.REPLACE_EXISTING);
        PairedDataset d = PairedDataset.load(data);
        try (TrainedMatcher m = TrainedMatcher.load(out.resolve("matching-v1.ckpt"))) {
            var s = m.score(d.video(), d.audio());
            Npy.write(out.resolve("matching-v1-scores.npy"), NpyArray.ofFloats(s.values(), s.rows(), s.cols()));
        }
        TaggingTrainConfig tc = TaggingTrainConfig.load(null, List.of("type=tagging", "data=" + data, "epochs=1", "batchSize=16",
            "model.hidden=0", "model.pooling.type=mean"));
        var t = TaggingTrainer.train(tc, Files.createTempDirectory("v1runs"), "fixture", quiet);
        Files.copy(t.run().lastCheckpoint(), out.resolve("tagging-v1.ckpt"), StandardCopyOption.REPLACE_EXISTING);
        try (TrainedTagger tg = TrainedTagger.load(out.resolve("tagging-v1.ckpt"))) {
            TaggingDataset td = TaggingDataset.load(data.toString(), false, 300, null, false, quiet, null);
            float[] l = tg.logits(td, false);
            Npy.write(out.resolve("tagging-v1-logits.npy"), NpyArray.ofFloats(l, td.size(), l.length / td.size()));
            System.out.println("tagging ids " + td.ids());
        }
        System.out.println("ok");
    }
}
