package vidkit.data;

import java.nio.file.Path;

/** A vidkit file written in a format version this build cannot read (usually by a newer vidkit). */
public final class UnsupportedFormatVersionException extends InvalidDataException {
    public UnsupportedFormatVersionException(Path path, String message) {
        super(path, message);
    }
}
