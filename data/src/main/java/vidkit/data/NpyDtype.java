package vidkit.data;

/**
 * The NumPy element types vidkit reads. All are little-endian ({@code '<'}, or {@code '|'} for
 * single bytes); big-endian files are rejected.
 */
public enum NpyDtype {
    FLOAT32("<f4", 4),
    FLOAT16("<f2", 2),
    UINT8("|u1", 1),
    INT64("<i8", 8);

    private final String descr;
    private final int bytes;

    NpyDtype(String descr, int bytes) {
        this.descr = descr;
        this.bytes = bytes;
    }

    /** The {@code descr} string NumPy writes in the header, e.g. {@code "<f4"}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype for a header's {@code descr}, or {@code null} when vidkit does not read it. */
    static NpyDtype fromDescr(String descr) {
        return switch (descr) {
            case "<f4" -> FLOAT32;
            case "<f2" -> FLOAT16;
            case "|u1", "<u1", "u1" -> UINT8;
            case "<i8" -> INT64;
            default -> null;
        };
    }
}
