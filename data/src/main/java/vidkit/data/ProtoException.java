package vidkit.data;

/** A protocol-buffer payload that does not decode as the expected message. */
public final class ProtoException extends RuntimeException {
    public ProtoException(String message) {
        super(message);
    }
}
