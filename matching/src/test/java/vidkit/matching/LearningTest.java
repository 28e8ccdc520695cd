package vidkit.matching;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models must learn on the real course data: far above chance after a few epochs. */
class LearningTest {
    @Test
    void twoTowerLearnsTheCourseData(@TempDir Path runs) throws Exception {
        MatchingConfig config = TrainTestSupport.smallTwoTower(TrainTestSupport.courseData(), 6, "model.hidden=64",
                "model.embedding=64", "batchSize=64", "optimizer.learningRate=0.001");
        var r = MatchingRuns.train(config, runs, "test", new PrintStream(new ByteArrayOutputStream()));
        double top5 = r.evaluation().report().subsetTopK().get(5);
        double top1 = r.evaluation().report().subsetTopK().get(1);
        // chance in the 50-way protocol: top-1 0.02, top-5 0.10
        assertTrue(top5 > 0.4, "50-way top-5 " + top5 + " should be far above chance 0.10");
        assertTrue(top1 > 0.1, "50-way top-1 " + top1 + " should be far above chance 0.02");
    }

    @Test
    void localMixLearnsTheCourseData(@TempDir Path runs) throws Exception {
        MatchingConfig config = MatchingConfig.load(null, java.util.List.of("data=" + TrainTestSupport.courseData(),
                "model.type=localmix", "model.hidden=64", "model.recurrentHidden=32", "model.recurrentLayers=1",
                "epochs=6", "batchSize=64", "optimizer.learningRate=0.003", "evaluation.draws=100",
                "evaluation.bootstrap=50", "schedule.kind=constant"));
        var r = MatchingRuns.train(config, runs, "test", new PrintStream(new ByteArrayOutputStream()));
        double top5 = r.evaluation().report().subsetTopK().get(5);
        assertTrue(top5 > 0.25, "50-way top-5 " + top5 + " should be far above chance 0.10");
    }

    @Test
    void ccaFittedOnTheCourseDataBeatsChance(@TempDir Path runs) throws Exception {
        MatchingConfig config = MatchingConfig.load(null, java.util.List.of("data=" + TrainTestSupport.courseData(),
                "model.type=cca", "model.dimensions=16", "model.regularization=1.0", "evaluation.draws=100",
                "evaluation.bootstrap=50"));
        var r = MatchingRuns.train(config, runs, "test", new PrintStream(new ByteArrayOutputStream()));
        double top5 = r.evaluation().report().subsetTopK().get(5);
        assertTrue(top5 > 0.4, "50-way top-5 " + top5 + " should be far above chance 0.10");
        // the fitted projections went through the checkpoint: evaluating the run again (which restores
        // it) gives the same figures
        assertEquals(top5, MatchingEvaluation.evaluate(r.run(), null, new PrintStream(new ByteArrayOutputStream()))
                .report().subsetTopK().get(5), 1e-9);
    }
}
