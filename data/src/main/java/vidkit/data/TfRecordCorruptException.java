package vidkit.data;

import java.nio.file.Path;

/**
 * A TFRecord file whose framing is broken at a known byte offset: a length or payload checksum
 * mismatch, or a file that ends inside a record.
 */
public final class TfRecordCorruptException extends CorruptFileException {
    private final long offset;

    public TfRecordCorruptException(Path path, long offset, String message) {
        super(path, "at byte " + offset + ": " + message);
        this.offset = offset;
    }

    /** The byte offset of the start of the broken record. */
    public long offset() {
        return offset;
    }
}
