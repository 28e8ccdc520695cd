package vidkit.qa;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.Csv;
import vidkit.train.TestData;

/** Questions generated from the real AVE annotations answer what the annotations say. */
class QuestionGeneratorTest {
    static List<Question> questions;
    static Map<String, List<String>> labels;

    @BeforeAll
    static void generate() throws Exception {
        questions = QuestionGenerator.generate(TestData.courseData(), 1);
        labels = Csv.read(TestData.courseData().resolve("labels.csv")).stream().skip(1)
                .collect(Collectors.toMap(r -> r.get(0), r -> r));
    }

    private static List<Question> of(String clip, String type) {
        return questions.stream().filter(q -> q.clip().equals(clip) && q.type().equals(type)).toList();
    }

    /** Clip 0001 is a church bell annotated [6, 10): a worked example of every type. */
    @Test
    void aWorkedExampleClip() {
        assertEquals("0001,0,Church bell,fCZi6I6kPpU,6,10", String.join(",", labels.get("0001")));
        for (Question q : of("0001", "what")) {
            assertEquals("Church bell", q.answer());
        }
        assertEquals(List.of("6", "6", "6"), of("0001", "when-start").stream().map(Question::answer).toList());
        assertEquals(List.of("10", "10", "10"), of("0001", "when-end").stream().map(Question::answer).toList());
        assertEquals(List.of("4", "4", "4"), of("0001", "how-long").stream().map(Question::answer).toList());
        assertTrue(of("0001", "when-start").get(0).question().contains("church bell"));
        for (Question q : of("0001", "at-second")) {
            int t = Integer.parseInt(q.question().replaceAll("\\D+", ""));
            assertEquals(t >= 6 && t < 10 ? "yes" : "no", q.answer(), q.question());
        }
        List<Question> isIt = of("0001", "is-it");
        assertEquals("yes", isIt.get(0).answer());
        assertTrue(isIt.get(0).question().contains("church bell"));
        assertEquals("no", isIt.get(1).answer());
        assertFalse(isIt.get(1).question().contains("church bell"), isIt.get(1).question());
    }

    /** Every clip's when/how-long answers against its labels.csv row; each type's last two phrasings held out. */
    @Test
    void everyAnswerFollowsTheAnnotationsAndTheLastTwoPhrasingsAreHeldOut() {
        for (Question q : questions) {
            List<String> row = labels.get(q.clip());
            int start = Integer.parseInt(row.get(4));
            int end = Integer.parseInt(row.get(5));
            switch (q.type()) {
                case "what" -> assertEquals(row.get(2), q.answer());
                case "when-start" -> assertEquals(Integer.toString(start), q.answer());
                case "when-end" -> assertEquals(Integer.toString(end), q.answer());
                case "how-long" -> assertEquals(Integer.toString(end - start), q.answer());
                case "at-second" -> {
                    int t = Integer.parseInt(q.question().replaceAll("\\D+", ""));
                    assertEquals(t >= start && t < end ? "yes" : "no", q.answer());
                }
                case "is-it" -> assertEquals(q.answer().equals("yes"), eventOf(q).equals(QuestionGenerator.spoken(row.get(2))),
                        q + " " + row);
                default -> fail(q.type());
            }
            assertEquals(q.phrasing() >= 6, q.heldOut(), q.toString());
            assertEquals(8, QuestionGenerator.PHRASINGS.get(q.type()).size());
        }
        // clip 0063 is annotated [0, 0): only the questions the annotation answers
        assertEquals(List.of("what", "is-it"), questions.stream().filter(q -> q.clip().equals("0063")).map(Question::type)
                .distinct().toList());
        // the seen yes/no questions are balanced
        for (String type : List.of("at-second", "is-it")) {
            long yes = questions.stream().filter(q -> q.type().equals(type) && !q.heldOut() && q.answer().equals("yes")).count();
            long no = questions.stream().filter(q -> q.type().equals(type) && !q.heldOut() && q.answer().equals("no")).count();
            assertEquals(yes, no, type);
        }
    }

    /** The event an is-it question names (its template's {@code %s}). */
    private static String eventOf(Question q) {
        String template = QuestionGenerator.PHRASINGS.get(q.type()).get(q.phrasing());
        String[] parts = template.split("%s");
        return q.question().substring(parts[0].length(), q.question().length() - parts[1].length());
    }

    @Test
    void seededAndWrittenAsJsonLinesThatReadBack(@TempDir Path dir) throws Exception {
        assertEquals(questions, QuestionGenerator.generate(TestData.courseData(), 1));
        assertNotEquals(questions, QuestionGenerator.generate(TestData.courseData(), 2));
        Path f = dir.resolve("qa.jsonl");
        QuestionsFile.write(f, questions);
        assertEquals(questions.size(), Files.readAllLines(f).size());
        assertEquals(questions, QuestionsFile.read(f, null, null));
    }

    @Test
    void distractorsAreOtherClassesNearestInFeatureSpace() throws Exception {
        var d = vidkit.data.PairedDataset.load(TestData.courseData());
        int[][] near = QuestionGenerator.confusableClasses(d, 28, 3);
        for (int c = 0; c < 28; c++) {
            assertEquals(3, near[c].length);
            for (int o : near[c]) {
                assertNotEquals(c, o);
            }
        }
        // the three kinds of speech/strings are each other's neighbours, not, say, the toilet flush
        int male = d.classNames().entrySet().stream().filter(x -> x.getValue().startsWith("Male speech")).findFirst()
                .orElseThrow().getKey();
        assertTrue(java.util.Arrays.stream(near[male]).anyMatch(o -> d.classNames().get(o).startsWith("Female speech")),
                java.util.Arrays.toString(near[male]));
    }
}
