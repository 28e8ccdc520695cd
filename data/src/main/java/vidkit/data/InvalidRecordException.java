package vidkit.data;

import java.nio.file.Path;

/**
 * A record that is framed correctly but does not hold what the reader expects: a missing key, a
 * feature of the wrong kind or length, a label outside the vocabulary, an undecodable payload.
 */
public final class InvalidRecordException extends InvalidDataException {
    private final long offset;
    private final String key;

    public InvalidRecordException(Path path, long offset, String key, String message) {
        super(path, "record at byte " + offset + (key == null ? "" : ", key '" + key + "'") + ": " + message);
        this.offset = offset;
        this.key = key;
    }

    /** The byte offset of the record in its file. */
    public long offset() {
        return offset;
    }

    /** The feature key at fault, or {@code null} when the whole record is. */
    public String key() {
        return key;
    }
}
