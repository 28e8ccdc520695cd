package vidkit.serve;

/**
 * A request the server refuses, with the HTTP status, a machine-readable {@code type}, the request
 * field at fault (or {@code null}) and a message saying what was expected. Answered as {@code
 * {"error": {"status", "type", "field", "message"}}}.
 */
public final class ApiException extends Exception {
    private final int status;
    private final String type;
    private final String field;

    public ApiException(int status, String type, String field, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.field = field;
    }

    static ApiException badRequest(String type, String field, String message) {
        return new ApiException(400, type, field, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String field() {
        return field;
    }
}
