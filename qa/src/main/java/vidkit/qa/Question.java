package vidkit.qa;

/**
 * One question about one clip, a line of a questions file (JSON lines).
 *
 * @param clip the clip's id in the paired directory
 * @param type the question type ({@code what}, {@code when-start}, ...; any non-empty name in a user's file)
 * @param phrasing which phrasing of its type it uses (0-based; -1 when unknown)
 * @param heldOut a phrasing kept out of training, to measure whether the question encoder
 *     generalizes beyond the phrasings it was trained on
 * @param question the question's text
 * @param answer the answer (one entry of the answer vocabulary)
 */
public record Question(String clip, String type, int phrasing, boolean heldOut, String question, String answer) {}
