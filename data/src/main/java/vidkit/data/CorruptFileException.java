package vidkit.data;

import java.nio.file.Path;

/** A vidkit file whose magic, lengths or checksum are wrong: truncated, overwritten or not ours. */
public class CorruptFileException extends InvalidDataException {
    public CorruptFileException(Path path, String message) {
        super(path, message);
    }
}
