package vidkit.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Input that vidkit cannot use: a malformed, truncated, inconsistent or non-finite file or
 * directory. The message always names the offending path and what was expected.
 */
public class InvalidDataException extends IOException {
    private final transient Path path;

    public InvalidDataException(Path path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public InvalidDataException(Path path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    /** The file or directory at fault. */
    public Path path() {
        return path;
    }
}
