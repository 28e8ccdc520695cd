package vidkit.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Clip ids on each side of a split, each list in sorted order.
 *
 * @param train clips to fit on
 * @param validation clips held out
 */
public record Split(List<String> train, List<String> validation) {
    public static final String TRAIN_FILE = "train-ids.txt";
    public static final String VALIDATION_FILE = "validation-ids.txt";

    public Split {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /** Writes {@code train-ids.txt} and {@code validation-ids.txt} (one id per line) into {@code dir}. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(TRAIN_FILE), String.join("\n", train) + "\n");
        AtomicFiles.writeString(dir.resolve(VALIDATION_FILE), String.join("\n", validation) + "\n");
    }

    /** Reads a split written by {@link #write}. */
    public static Split read(Path dir) throws IOException {
        return new Split(readIds(dir.resolve(TRAIN_FILE)), readIds(dir.resolve(VALIDATION_FILE)));
    }

    private static List<String> readIds(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new InvalidDataException(file, "split file missing");
        }
        return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
