package vidkit.qa;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import vidkit.data.PairedDataset;

/**
 * A question-answering dataset: the clips' features and the questions about them, validated
 * together (every question's clip exists; every answer is in the vocabulary when one is given).
 *
 * @param clips the paired directory's clips
 * @param questions every question of the file, in file order
 * @param answers the answer vocabulary: the given file's, or every answer of the questions, sorted
 */
record QaData(PairedDataset clips, List<Question> questions, List<String> answers) {
    static QaData load(QaConfig config) throws IOException {
        PairedDataset d = PairedDataset.load(config.dataPath());
        List<String> answers = config.answers() == null ? null : QuestionsFile.readAnswers(Path.of(config.answers()));
        List<Question> q = QuestionsFile.read(Path.of(config.questions()), new HashSet<>(d.ids()),
                answers == null ? null : new HashSet<>(answers));
        if (answers == null) {
            TreeSet<String> all = new TreeSet<>();
            q.forEach(x -> all.add(x.answer()));
            answers = List.copyOf(all);
        }
        if (answers.size() < 2) {
            throw new vidkit.data.InvalidDataException(Path.of(config.questions()),
                    "all questions have the same answer; a classifier needs at least 2");
        }
        return new QaData(d, q, answers);
    }

    /** The position of each clip id in the dataset. */
    Map<String, Integer> clipIndex() {
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < clips.size(); i++) {
            at.put(clips.ids().get(i), i);
        }
        return at;
    }

    /** The questions about the given clips; with {@code heldOut} false, only seen phrasings. */
    List<Question> about(java.util.Collection<String> clipIds, boolean includeHeldOut) {
        var ids = new HashSet<>(clipIds);
        return questions.stream().filter(x -> ids.contains(x.clip()) && (includeHeldOut || !x.heldOut())).toList();
    }

    /** A fingerprint of the clips and the questions file. */
    String fingerprint(QaConfig config) throws IOException {
        byte[] qs = java.nio.file.Files.readAllBytes(Path.of(config.questions()));
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(clips.fingerprint().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(qs);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
