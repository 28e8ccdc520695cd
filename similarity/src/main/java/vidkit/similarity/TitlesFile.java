package vidkit.similarity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vidkit.data.AtomicFiles;
import vidkit.data.Csv;
import vidkit.data.InvalidDataException;

/**
 * Per-video titles: CSV with the header {@code id,title}, one video a line (titles with commas or
 * quotes quoted as CSV does). Reading validates every line: two fields, an id known to the data
 * (when a set of ids is given), a title that is not blank and at most {@link #MAX_CHARS}
 * characters, no id twice; each fault is a typed error naming the file and the line.
 */
public final class TitlesFile {
    /** The longest title accepted (the text encoders read at most 256–512 tokens of it anyway). */
    public static final int MAX_CHARS = 2000;

    private TitlesFile() {}

    /** The titles by video id, in file order. */
    public static Map<String, String> read(Path file, Set<String> knownIds) throws IOException {
        List<List<String>> rows = Csv.read(file);
        if (rows.isEmpty() || !rows.get(0).equals(List.of("id", "title"))) {
            throw new InvalidDataException(file, "line 1: expected the header id,title, got "
                    + (rows.isEmpty() ? "nothing" : String.join(",", rows.get(0))));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int line = r + 1;
            if (row.size() != 2) {
                throw new InvalidDataException(file, "line " + line + ": expected 2 fields (id,title), got " + row.size());
            }
            String id = row.get(0);
            String title = row.get(1).strip();
            if (id.isEmpty() || (knownIds != null && !knownIds.contains(id))) {
                throw new InvalidDataException(file, "line " + line + ": unknown video id '" + id + "'");
            }
            if (title.isEmpty()) {
                throw new InvalidDataException(file, "line " + line + ": video " + id + " has an empty title");
            }
            if (title.length() > MAX_CHARS) {
                throw new InvalidDataException(file, "line " + line + ": the title of " + id + " has " + title.length()
                        + " characters, more than " + MAX_CHARS);
            }
            if (out.put(id, title) != null) {
                throw new InvalidDataException(file, "line " + line + ": video " + id + " has a second title");
            }
        }
        if (out.isEmpty()) {
            throw new InvalidDataException(file, "has no titles");
        }
        return out;
    }

    /** Writes {@code titles} atomically. */
    public static void write(Path file, Map<String, String> titles) throws IOException {
        StringBuilder b = new StringBuilder("id,title\n");
        titles.forEach((id, title) -> b.append(Csv.quote(id)).append(',').append(Csv.quote(title)).append('\n'));
        AtomicFiles.writeString(file, b.toString());
    }
}
