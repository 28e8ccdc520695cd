package vidkit.media;

import java.nio.file.Path;
import vidkit.data.InvalidDataException;

/** A media file vidkit cannot extract from: names the file and says why ({@link #reason()}). */
public final class MediaException extends InvalidDataException {
    private static final long serialVersionUID = 1L;

    /** Why a file was refused. */
    public enum Reason {
        /** no demuxer or decoder could open it */
        NOT_MEDIA,
        /** it has no video stream */
        NO_VIDEO,
        /** it has no audio stream (and silence was not allowed) */
        NO_AUDIO,
        /** it lasts less than one second */
        TOO_SHORT,
        /** its frames are larger than the configured limit */
        TOO_LARGE,
        /** it ends (or breaks off) well before the duration its container announces */
        TRUNCATED
    }

    private final Reason reason;

    public MediaException(Path file, Reason reason, String message) {
        super(file, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
