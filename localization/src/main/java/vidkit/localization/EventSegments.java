package vidkit.localization;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vidkit.data.Csv;
import vidkit.data.InvalidDataException;

/**
 * The annotated event segment of each clip, from {@code labels.csv}'s {@code start_s} and {@code
 * end_s} (AVE: one event per 10-second clip, {@code [start, end)} in whole seconds), as per-second
 * targets: the clip's class {@code 0..C-1} where the event happens, background {@code C} elsewhere.
 * An empty segment ({@code start_s = end_s}; one AVE clip, 0063, is annotated {@code [0, 0)}) is
 * taken as annotated: every second of that clip is background.
 */
public final class EventSegments {
    private EventSegments() {}

    /** One clip's segment {@code [start, end)} in seconds. */
    public record Segment(int start, int end) {}

    /**
     * The segments of {@code ids}, in that order; a missing row or column, a non-integer, {@code
     * start > end} or an end past {@code frames} is an error naming the file and line.
     */
    public static List<Segment> read(Path labels, List<String> ids, int frames) throws IOException {
        List<List<String>> rows = Csv.read(labels);
        if (rows.isEmpty()) {
            throw new InvalidDataException(labels, "empty (expected a header with id,start_s,end_s)");
        }
        List<String> header = rows.get(0);
        int idCol = header.indexOf("id");
        int startCol = header.indexOf("start_s");
        int endCol = header.indexOf("end_s");
        if (idCol < 0 || startCol < 0 || endCol < 0) {
            throw new InvalidDataException(labels, "header " + header + " lacks id, start_s and end_s: localization needs "
                    + "each clip's annotated event segment");
        }
        Map<String, Segment> byId = new HashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int line = r + 1;
            int start = integer(labels, line, "start_s", row.get(startCol));
            int end = integer(labels, line, "end_s", row.get(endCol));
            if (start < 0 || end < start || end > frames) {
                throw new InvalidDataException(labels, "line " + line + ": segment [" + start + ", " + end
                        + ") must satisfy 0 <= start_s <= end_s <= " + frames + " (the clips' seconds)");
            }
            byId.put(row.get(idCol).strip(), new Segment(start, end));
        }
        return ids.stream().map(id -> {
            Segment s = byId.get(id);
            if (s == null) {
                throw new IllegalArgumentException(labels + ": no row for clip " + id);
            }
            return s;
        }).toList();
    }

    private static int integer(Path file, int line, String column, String value) throws InvalidDataException {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidDataException(file, "line " + line + ": " + column + " '" + value + "' is not an integer");
        }
    }

    /** Per-second targets {@code [frames]}: {@code label} inside the segment, {@code background} outside. */
    public static int[] targets(Segment s, int label, int background, int frames) {
        int[] t = new int[frames];
        for (int i = 0; i < frames; i++) {
            t[i] = i >= s.start() && i < s.end() ? label : background;
        }
        return t;
    }
}
