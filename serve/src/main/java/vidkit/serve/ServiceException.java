package vidkit.serve;

/**
 * A query the {@link Service} cannot answer, said without HTTP: why ({@link Reason}), a
 * machine-readable {@code type}, the input field at fault (or {@code null}) and what was expected.
 * The server maps the reason to a status.
 */
public final class ServiceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a query cannot be answered. */
    public enum Reason {
        /** The input is malformed (wrong shape, non-finite values). */
        BAD_INPUT,
        /** An id names nothing this service holds. */
        UNKNOWN_ID,
        /** The service was started without what the query needs (a tagger, a library, features). */
        UNAVAILABLE,
        /** The service is shutting down (or was interrupted) while the query waited. */
        STOPPING
    }

    private final Reason reason;
    private final String type;
    private final String field;

    public ServiceException(Reason reason, String type, String field, String message) {
        super(message);
        this.reason = reason;
        this.type = type;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    public String type() {
        return type;
    }

    public String field() {
        return field;
    }
}
