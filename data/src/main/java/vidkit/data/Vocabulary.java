package vidkit.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Class names by index, from YouTube-8M's {@code vocabulary.csv} ({@code Index,...,Name,...}):
 * indices must be unique and in {@code [0, size)}; missing indices get the name {@code "class N"}.
 */
public record Vocabulary(String[] names) {
    /** YouTube-8M 2018's vocabulary size. */
    public static final int YT8M_CLASSES = 3862;

    public int size() {
        return names.length;
    }

    public String name(int index) {
        return names[index];
    }

    /** Names {@code "class 0"…} for a vocabulary without a file. */
    public static Vocabulary unnamed(int size) {
        String[] n = new String[size];
        for (int i = 0; i < size; i++) {
            n[i] = "class " + i;
        }
        return new Vocabulary(n);
    }

    public static Vocabulary read(Path csv, int size) throws IOException {
        List<List<String>> rows = Csv.read(csv);
        if (rows.isEmpty()) {
            throw new InvalidDataException(csv, "empty vocabulary file");
        }
        List<String> header = rows.get(0);
        int index = header.indexOf("Index");
        int name = header.indexOf("Name");
        if (index < 0 || name < 0) {
            throw new InvalidDataException(csv, "expected columns 'Index' and 'Name', got " + header);
        }
        String[] names = new String[size];
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() <= Math.max(index, name)) {
                throw new InvalidDataException(csv, "row " + (r + 1) + " has " + row.size() + " columns");
            }
            int i;
            try {
                i = Integer.parseInt(row.get(index).trim());
            } catch (NumberFormatException e) {
                throw new InvalidDataException(csv, "row " + (r + 1) + ": Index '" + row.get(index) + "' is not an integer");
            }
            if (i < 0 || i >= size) {
                throw new InvalidDataException(csv, "row " + (r + 1) + ": Index " + i + " outside [0, " + size + ")");
            }
            if (names[i] != null) {
                throw new InvalidDataException(csv, "row " + (r + 1) + ": Index " + i + " appears twice");
            }
            names[i] = row.get(name);
        }
        for (int i = 0; i < size; i++) {
            if (names[i] == null) {
                names[i] = "class " + i;
            }
        }
        return new Vocabulary(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(names, v.names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }
}
