package vidkit.qa;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.core.RunDirectory;
import vidkit.data.InvalidDataException;
import vidkit.data.PairedDataset;
import vidkit.train.TestData;
import vidkit.train.Trainer;

class QaTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** A worked example of the evaluation's rules: exact answers, per type, seen and held-out apart, the "when" error. */
    @Test
    void evaluationFollowsAWorkedExample() {
        List<Question> q = List.of(
                new Question("a", "what", 0, false, "?", "Banjo"),
                new Question("a", "what", 3, true, "?", "Banjo"),
                new Question("a", "when-start", 0, false, "?", "2"),
                new Question("b", "when-start", 0, false, "?", "0"));
        QaEvaluation.Row row = QaEvaluation.row("m", null, q, new String[] {"Banjo", "Cat", "3", "0"});
        assertEquals(2 / 3.0, row.accuracy(), 1e-12);
        assertEquals(0.0, row.heldOutAccuracy(), 1e-12);
        assertEquals("what", row.types().get(0).type());
        assertEquals(1.0, row.types().get(0).seen(), 1e-12);
        assertEquals(0.0, row.types().get(0).heldOut(), 1e-12);
        assertEquals(0.5, row.types().get(1).seen(), 1e-12);
        assertTrue(Double.isNaN(row.types().get(1).heldOut()));
        // the "when" answer is the most probable numeric answer, even where "yes" is more probable overall
        String[] answers = {"0", "2", "3", "yes"};
        float[][] p = {{0, 0, 0, 1}, {0, 0, 0, 1}, {0.1f, 0.2f, 0.3f, 0.4f}, {0.5f, 0.1f, 0.1f, 0.3f}};
        QaEvaluation.WhenAnswers w = QaEvaluation.when("when-start", q, p, answers);
        assertEquals((1 + 0) / 2.0, w.meanError(), 1e-12); // |2 - 3| and |0 - 0|
        assertEquals(1, w.confusion()[2][3]);
        assertEquals(1, w.confusion()[0][0]);
        assertEquals(List.of(new TrainedAnswerer.Answer("yes", 0.4f), new TrainedAnswerer.Answer("3", 0.3f)),
                TrainedAnswerer.top(p[2], answers, 2));
        // ties go to the answer first in the vocabulary
        assertEquals("0", TrainedAnswerer.top(new float[] {0.5f, 0.5f}, new String[] {"0", "1"}, 1).get(0).answer());
    }

    /**
     * Learns the real AVE clips' generated questions in a few epochs: well above the prior baseline
     * overall and on "what", answers asked of the run agree with its evaluation, and bad questions
     * and bad data are typed errors.
     */
    @Test
    void theGraphModelLearnsRealClipsQuestionsAndAnswersAskedOnes(@TempDir Path dir) throws Exception {
        Path questions = dir.resolve("qa.jsonl");
        QuestionsFile.write(questions, QuestionGenerator.generate(TestData.courseData(), 1));
        var r = Trainer.train(QaConfig.load(null, List.of("data=" + TestData.courseData(), "questions=" + questions,
                "model.hidden=64", "epochs=4", "schedule.kind=constant")), Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        var e = (QaEvaluation.Result) r.evaluation();
        QaEvaluation.Row model = e.rows().get(0);
        QaEvaluation.Row prior = e.rows().get(e.rows().size() - 1);
        assertEquals("graph", model.model());
        assertEquals("prior", prior.model());
        assertEquals(548, e.clips());
        assertTrue(model.accuracy() > prior.accuracy() + 0.1, model + " vs " + prior);
        double what = model.types().get(0).seen();
        assertTrue(what > 0.5, "what " + what + " (prior " + prior.types().get(0).seen() + ")");
        assertTrue(model.heldOutAccuracy() > prior.heldOutAccuracy(), model + " vs " + prior);
        // asking the run one question gives the answer the evaluation counted
        PairedDataset d = PairedDataset.load(TestData.courseData());
        try (TrainedAnswerer a = TrainedAnswerer.load(r.run().inferenceCheckpoint())) {
            int at = d.ids().indexOf("0001");
            int pv = d.frames() * d.video().dim();
            int pa = d.frames() * d.audio().dim();
            float[] v = Arrays.copyOfRange(d.video().values(), at * pv, (at + 1) * pv);
            float[] au = Arrays.copyOfRange(d.audio().values(), at * pa, (at + 1) * pa);
            var answers = a.answer(v, au, "Which event does this clip show?", 5);
            assertEquals(5, answers.size());
            double sum = 0;
            for (int i = 0; i < answers.size(); i++) {
                sum += answers.get(i).probability();
                if (i > 0) {
                    assertTrue(answers.get(i).probability() <= answers.get(i - 1).probability());
                }
            }
            assertTrue(sum <= 1.0001);
            // the same question about the same clip, asked alone or in the evaluation's batch
            float[][] batch = a.probabilities(a.state().videoNormalizer().apply(d.video()),
                    a.state().audioNormalizer().apply(d.audio()), new int[] {at, 0, 1, 2},
                    List.of("Which event does this clip show?", "Is this a banjo?", "When does the bell end?",
                            "Is the event happening at second 3?"));
            assertEquals(answers.get(0).probability(), max(batch[0]), 1e-4);
            assertThrows(Questions.InvalidQuestionException.class, () -> a.answer(v, au, "", 5));
            assertThrows(Questions.InvalidQuestionException.class, () -> a.answer(v, au, "Qu'est-ce?", 5));
            assertThrows(InvalidDataException.class, () -> a.answer(Arrays.copyOf(v, 10), au, "What is it?", 5));
        }
        assertTrue(Files.exists(RunDirectory.open(r.run().path()).evaluation()));
    }

    private static double max(float[] p) {
        double m = 0;
        for (float x : p) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** A training questions file whose answer is outside the given vocabulary is an error naming the line. */
    @Test
    void anAnswerOutsideTheVocabularyNamesTheLine(@TempDir Path dir) throws Exception {
        Path questions = dir.resolve("qa.jsonl");
        Files.writeString(questions, "{\"clip\":\"0001\",\"type\":\"what\",\"question\":\"What is it?\",\"answer\":\"Church bell\"}\n"
                + "{\"clip\":\"0002\",\"type\":\"what\",\"question\":\"What is it?\",\"answer\":\"Tuba\"}\n");
        Path answers = dir.resolve("answers.txt");
        Files.writeString(answers, "Church bell\nBanjo\n");
        var e = assertThrows(InvalidDataException.class, () -> Trainer.train(QaConfig.load(null, List.of("data="
                + TestData.courseData(), "questions=" + questions, "answers=" + answers, "epochs=1")),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET)));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'Tuba'"), e.getMessage());
        var c = assertThrows(InvalidDataException.class, () -> QaConfig.load(null, List.of("data=x")));
        assertTrue(c.getMessage().contains("questions"), c.getMessage());
    }
}
