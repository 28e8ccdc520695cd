package vidkit.qa;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import vidkit.core.Json;
import vidkit.data.AtomicFiles;
import vidkit.data.InvalidDataException;

/**
 * Questions files: JSON lines, one {@link Question} per line — {@code {"clip": "0001", "type":
 * "when-start", "phrasing": 1, "heldOut": false, "question": "When does the church bell start?",
 * "answer": "6"}} ({@code phrasing} and {@code heldOut} optional: -1 and false). Reading checks every
 * line and names the file and line of the first fault: not JSON, a missing or empty field, a
 * question over {@value Questions#MAX_CHARS} characters, a clip the data does not have, an answer
 * outside the answer vocabulary (when one is given), invalid UTF-8.
 */
public final class QuestionsFile {
    private QuestionsFile() {}

    /**
     * @param clips the clip ids the data has ({@code null}: not checked)
     * @param answers the answer vocabulary ({@code null}: any answer)
     */
    public static List<Question> read(Path file, Set<String> clips, Set<String> answers) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such questions file (JSON lines: clip, type, question, answer)");
        }
        List<Question> out = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int n = 0;
            while (true) {
                try {
                    line = r.readLine();
                } catch (CharacterCodingException e) {
                    throw new InvalidDataException(file, "line " + (n + 1) + ": not valid UTF-8");
                }
                if (line == null) {
                    break;
                }
                n++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(parse(file, n, line, clips, answers));
            }
        }
        if (out.isEmpty()) {
            throw new InvalidDataException(file, "holds no questions");
        }
        return out;
    }

    private static Question parse(Path file, int line, String text, Set<String> clips, Set<String> answers)
            throws InvalidDataException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidDataException(file, "line " + line + ": not a JSON object (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidDataException(file, "line " + line + ": not a JSON object");
        }
        String clip = text(file, line, node, "clip");
        String type = text(file, line, node, "type");
        String question = text(file, line, node, "question");
        String answer = text(file, line, node, "answer");
        if (question.length() > Questions.MAX_CHARS) {
            throw new InvalidDataException(file, "line " + line + ": question has " + question.length()
                    + " characters, at most " + Questions.MAX_CHARS + " allowed");
        }
        if (clips != null && !clips.contains(clip)) {
            throw new InvalidDataException(file, "line " + line + ": clip '" + clip + "' is not in the data");
        }
        if (answers != null && !answers.contains(answer)) {
            throw new InvalidDataException(file, "line " + line + ": answer '" + answer
                    + "' is not in the answer vocabulary (" + answers.size() + " answers)");
        }
        JsonNode p = node.get("phrasing");
        if (p != null && !p.canConvertToInt()) {
            throw new InvalidDataException(file, "line " + line + ": field 'phrasing' must be an integer");
        }
        JsonNode h = node.get("heldOut");
        if (h != null && !h.isBoolean()) {
            throw new InvalidDataException(file, "line " + line + ": field 'heldOut' must be true or false");
        }
        return new Question(clip, type, p == null ? -1 : p.asInt(), h != null && h.asBoolean(), question, answer);
    }

    private static String text(Path file, int line, JsonNode node, String field) throws InvalidDataException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidDataException(file, "line " + line + ": field '" + field + "' is missing or not a string");
        }
        if (v.asText().isBlank()) {
            throw new InvalidDataException(file, "line " + line + ": field '" + field + "' is empty");
        }
        return v.asText().strip();
    }

    /** Writes questions as JSON lines (atomically). */
    public static void write(Path file, List<Question> questions) throws IOException {
        AtomicFiles.write(file, os -> {
            Writer w = new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8);
            for (Question q : questions) {
                w.write(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(q));
                w.write('\n');
            }
            w.flush();
        });
    }

    /** An answer vocabulary file: one answer per line (blank lines skipped). */
    public static List<String> readAnswers(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such answer vocabulary file (one answer per line)");
        }
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank() && !out.contains(l.strip())) {
                out.add(l.strip());
            }
        }
        if (out.size() < 2) {
            throw new InvalidDataException(file, "an answer vocabulary needs at least 2 answers");
        }
        return out;
    }
}
