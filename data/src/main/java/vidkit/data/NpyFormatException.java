package vidkit.data;

import java.nio.file.Path;

/** A file that is not a readable {@code .npy} array of a supported kind. */
public final class NpyFormatException extends InvalidDataException {
    public NpyFormatException(Path path, String message) {
        super(path, message);
    }
}
