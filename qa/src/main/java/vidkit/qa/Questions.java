package vidkit.qa;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules a question's text must satisfy, in a questions file and when asked: not empty, at most
 * {@value #MAX_CHARS} characters, and — when asked of a trained run — at least one word the run
 * saw in its training questions (else the answer would be a guess about nothing).
 *
 * <p>A word is a maximal run of letters and digits, lower-cased ({@code "Is it a Banjo?"} → {@code
 * is, it, a, banjo}).
 */
public final class Questions {
    /** The longest question accepted, in characters. */
    public static final int MAX_CHARS = 500;

    private Questions() {}

    /** The words of a text, in order. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c)) {
                w.appendCodePoint(Character.toLowerCase(c));
            } else if (w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
        });
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    /**
     * Checks a question asked of a run that knows {@code knownWords}; returns it stripped.
     *
     * @throws InvalidQuestionException naming what is wrong
     */
    public static String check(String question, Set<String> knownWords) {
        if (question == null || question.isBlank()) {
            throw new InvalidQuestionException("empty", "the question is empty");
        }
        String q = question.strip();
        if (q.length() > MAX_CHARS) {
            throw new InvalidQuestionException("too_long", "the question has " + q.length() + " characters, at most "
                    + MAX_CHARS + " allowed");
        }
        List<String> words = words(q);
        if (words.stream().noneMatch(knownWords::contains)) {
            throw new InvalidQuestionException("no_known_word", "no word of the question (" + String.join(", ", words)
                    + ") occurs in the run's training questions");
        }
        return q;
    }

    /** A question that cannot be asked; {@link #reason()} is a code ({@code empty}, {@code too_long}, {@code no_known_word}). */
    public static final class InvalidQuestionException extends IllegalArgumentException {
        private final String reason;

        public InvalidQuestionException(String reason, String message) {
            super("question: " + message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
