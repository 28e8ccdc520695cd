package vidkit.similarity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import vidkit.data.AtomicFiles;
import vidkit.data.Csv;
import vidkit.data.InvalidDataException;

/**
 * Pairs files: CSV with the header {@code id1,id2,score}, one pair a line. Reading validates every
 * line: ids must be known (when a set of ids is given), a score a number in {@code [0, 1]}, no
 * video paired with itself, no pair twice (in either order); each fault is a typed error naming
 * the file and the line.
 */
public final class PairsFile {
    private PairsFile() {}

    public static List<Pair> read(Path file, Set<String> knownIds) throws IOException {
        List<List<String>> rows = Csv.read(file);
        if (rows.isEmpty() || !rows.get(0).equals(List.of("id1", "id2", "score"))) {
            throw new InvalidDataException(file, "line 1: expected the header id1,id2,score, got "
                    + (rows.isEmpty() ? "nothing" : String.join(",", rows.get(0))));
        }
        List<Pair> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int line = r + 1;
            if (row.size() != 3) {
                throw new InvalidDataException(file, "line " + line + ": expected 3 fields, got " + row.size());
            }
            String a = row.get(0);
            String b = row.get(1);
            for (String id : List.of(a, b)) {
                if (id.isEmpty() || (knownIds != null && !knownIds.contains(id))) {
                    throw new InvalidDataException(file, "line " + line + ": unknown video id '" + id + "'");
                }
            }
            if (a.equals(b)) {
                throw new InvalidDataException(file, "line " + line + ": video " + a + " is paired with itself");
            }
            double score;
            try {
                score = Double.parseDouble(row.get(2));
            } catch (NumberFormatException e) {
                throw new InvalidDataException(file, "line " + line + ": score '" + row.get(2) + "' is not a number");
            }
            if (!(score >= 0 && score <= 1)) {
                throw new InvalidDataException(file, "line " + line + ": score " + row.get(2) + " is outside [0, 1]");
            }
            String key = a.compareTo(b) < 0 ? a + "\u0000" + b : b + "\u0000" + a;
            if (!seen.add(key)) {
                throw new InvalidDataException(file, "line " + line + ": the pair " + a + ", " + b + " appears twice");
            }
            out.add(new Pair(a, b, score));
        }
        if (out.isEmpty()) {
            throw new InvalidDataException(file, "has no pairs");
        }
        return out;
    }

    /** Writes {@code pairs} atomically. */
    public static void write(Path file, List<Pair> pairs) throws IOException {
        StringBuilder b = new StringBuilder("id1,id2,score\n");
        for (Pair p : pairs) {
            b.append(Csv.quote(p.id1())).append(',').append(Csv.quote(p.id2())).append(',')
                    .append(String.format(Locale.ROOT, "%.2f", p.score())).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }
}
