package vidkit.qa;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.InvalidDataException;

/** Bad questions files and bad questions are typed errors naming the file, the line or the field. */
class QuestionsFileTest {
    static final String GOOD = "{\"clip\":\"a\",\"type\":\"what\",\"question\":\"What is it?\",\"answer\":\"Banjo\"}";

    private static String error(Path dir, String line2, Set<String> answers) throws Exception {
        Path f = dir.resolve("q.jsonl");
        Files.writeString(f, GOOD + "\n" + line2 + "\n");
        var e = assertThrows(InvalidDataException.class, () -> QuestionsFile.read(f, Set.of("a"), answers));
        assertTrue(e.getMessage().contains("q.jsonl") && e.getMessage().contains("line 2"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void everyFaultNamesTheLine(@TempDir Path dir) throws Exception {
        assertTrue(error(dir, "{not json", null).contains("not a JSON object"));
        assertTrue(error(dir, "[1, 2]", null).contains("not a JSON object"));
        assertTrue(error(dir, "{\"clip\":\"a\",\"type\":\"what\",\"answer\":\"x\"}", null).contains("'question'"));
        assertTrue(error(dir, GOOD.replace("What is it?", "  "), null).contains("'question' is empty"));
        assertTrue(error(dir, GOOD.replace("What is it?", "w".repeat(501)), null).contains("at most 500"));
        assertTrue(error(dir, GOOD.replace("\"a\"", "\"zz\""), null).contains("clip 'zz'"));
        assertTrue(error(dir, GOOD.replace("Banjo", "Tuba"), Set.of("Banjo", "Cat")).contains("answer 'Tuba' is not in the "
                + "answer vocabulary"));
        assertTrue(error(dir, GOOD.replace("}", ",\"heldOut\":\"yes\"}"), null).contains("heldOut"));
        Path f = dir.resolve("bad-utf8.jsonl");
        Files.write(f, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertTrue(assertThrows(InvalidDataException.class, () -> QuestionsFile.read(f, null, null)).getMessage()
                .contains("line 1: not valid UTF-8"));
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "\n\n");
        assertThrows(InvalidDataException.class, () -> QuestionsFile.read(empty, null, null));
        assertThrows(InvalidDataException.class, () -> QuestionsFile.read(dir.resolve("missing.jsonl"), null, null));
    }

    @Test
    void askedQuestionsAreCheckedByRule() {
        Set<String> known = Set.of("when", "does", "the", "banjo", "start");
        assertEquals("When does it start?", Questions.check("  When does it start?\n", known));
        assertEquals("empty", assertThrows(Questions.InvalidQuestionException.class, () -> Questions.check(" ", known)).reason());
        assertEquals("empty", assertThrows(Questions.InvalidQuestionException.class, () -> Questions.check(null, known)).reason());
        assertEquals("too_long", assertThrows(Questions.InvalidQuestionException.class,
                () -> Questions.check("when ".repeat(101), known)).reason());
        var e = assertThrows(Questions.InvalidQuestionException.class, () -> Questions.check("Quel temps fait-il?", known));
        assertEquals("no_known_word", e.reason());
        assertTrue(e.getMessage().startsWith("question: "), e.getMessage());
        assertEquals(java.util.List.of("is", "it", "a", "banjo", "3"), Questions.words("Is it a Banjo? (3)"));
    }
}
