package vidkit.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads one TFRecord file sequentially. Each record is framed as
 *
 * <pre>
 *   uint64 length                      little-endian
 *   uint32 masked CRC32C of the 8 length bytes
 *   byte[length] payload
 *   uint32 masked CRC32C of the payload
 * </pre>
 *
 * where {@code masked(c) = ((c >>> 15) | (c << 17)) + 0xa282ead8}. Both checksums are verified by
 * default; a mismatch or a file that ends inside a record throws {@link TfRecordCorruptException}
 * naming the file and the record's byte offset.
 *
 * <p>With {@code skipCorrupt}, a record whose payload checksum fails is skipped (its length was
 * verified, so the next record is found) and reported to the {@link SkipLog}; a broken length or a
 * truncated tail ends the file (nothing after it can be trusted), also reported.
 */
public final class TfRecordReader implements AutoCloseable {
    static final int MASK_DELTA = 0xa282ead8;
    /** Refuses lengths above this (2 GiB − 1): a garbage length must not allocate the heap away. */
    private static final long MAX_RECORD = Integer.MAX_VALUE - 8;

    private final Path path;
    private final InputStream in;
    private final boolean verify;
    private final SkipLog skipLog;
    private final byte[] header = new byte[12];
    private final byte[] footer = new byte[4];
    private final CRC32C crc = new CRC32C();
    private byte[] payload = new byte[1 << 16];
    private int payloadOffset;
    private int payloadLength;
    /** The whole file when it is small enough to read at once (then records are parsed in place). */
    private final byte[] whole;
    /** Bytes of the file in {@link #whole} (the array may be a longer reused buffer). */
    private final int wholeLength;
    /** Files up to this size borrow their thread's reused buffer (no fresh allocation per shard). */
    static final int SCRATCH_LIMIT = 64 << 20;
    /**
     * A buffer per thread, lent to one open reader at a time (taken on open, given back on close; a
     * second reader opened meanwhile on the same thread allocates its own).
     */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();
    private boolean borrowed;
    /** Files up to this size are read whole. */
    static final long WHOLE_FILE_LIMIT = 1L << 30;
    private long offset;
    private long recordOffset;
    private boolean ended;

    /** A record: its payload and the byte offset where its framing starts. */
    public record Record(Path file, long offset, byte[] payload) {}

    /** Where skipped records are reported. */
    public interface SkipLog {
        void skipped(Path file, long offset, String reason);
    }

    private TfRecordReader(Path path, boolean verify, SkipLog skipLog) throws IOException {
        this(path, verify, skipLog, false);
    }

    /** A reader over bytes already in memory ({@code whole}) or a stream ({@code in}); {@code name} names it. */
    private TfRecordReader(Path name, byte[] whole, InputStream in, boolean verify, SkipLog skipLog) {
        this.path = name;
        this.whole = whole;
        this.wholeLength = whole == null ? 0 : whole.length;
        this.in = in == null ? null : new BufferedInputStream(in, 1 << 20);
        this.verify = verify;
        this.skipLog = skipLog;
    }

    private TfRecordReader(Path path, boolean verify, SkipLog skipLog, boolean stream) throws IOException {
        this.path = path;
        if (!Files.isRegularFile(path)) {
            throw new InvalidDataException(path, "TFRecord file does not exist");
        }
        long size = Files.size(path);
        if (!stream && size <= SCRATCH_LIMIT) {
            byte[] buf = SCRATCH.get();
            SCRATCH.remove();
            if (buf == null || buf.length < size) {
                buf = new byte[(int) Math.max(size, buf == null ? 0 : Math.min(SCRATCH_LIMIT, 2L * buf.length))];
            }
            borrowed = true;
            int n;
            try (InputStream file = Files.newInputStream(path)) {
                n = file.readNBytes(buf, 0, (int) size);
            } catch (IOException | RuntimeException e) {
                SCRATCH.set(buf);
                throw e;
            }
            this.whole = buf;
            this.wholeLength = n; // a file that shrank while read is judged by the bytes actually there
            this.in = null;
        } else if (!stream && size <= WHOLE_FILE_LIMIT) {
            this.whole = Files.readAllBytes(path);
            this.wholeLength = whole.length;
            this.in = null;
        } else {
            this.whole = null;
            this.wholeLength = 0;
            this.in = new BufferedInputStream(Files.newInputStream(path), 1 << 20);
        }
        this.verify = verify;
        this.skipLog = skipLog;
    }

    /** A reader that verifies checksums and throws on the first corrupt record. */
    public static TfRecordReader open(Path path) throws IOException {
        return new TfRecordReader(path, true, null);
    }

    /**
     * @param verify check both CRCs (turning it off only saves the checksum time)
     * @param skipLog where to report skipped records; {@code null} = throw on corruption
     */
    public static TfRecordReader open(Path path, boolean verify, SkipLog skipLog) throws IOException {
        return new TfRecordReader(path, verify, skipLog);
    }

    /**
     * A reader over a stream (a file on HDFS or S3 opened by a Spark executor, of any size: records
     * are read one at a time); {@code name} names the source in errors and skip reports. Closing the
     * reader closes the stream.
     */
    public static TfRecordReader open(InputStream in, Path name, boolean verify, SkipLog skipLog) {
        return new TfRecordReader(name, null, java.util.Objects.requireNonNull(in), verify, skipLog);
    }

    /** A reader over a whole file's bytes in memory; records are parsed in place. */
    public static TfRecordReader open(byte[] bytes, Path name, boolean verify, SkipLog skipLog) {
        return new TfRecordReader(name, java.util.Objects.requireNonNull(bytes), null, verify, skipLog);
    }

    /** A reader that streams the file whatever its size (the path large files take; for tests). */
    static TfRecordReader openStreaming(Path path, boolean verify, SkipLog skipLog) throws IOException {
        return new TfRecordReader(path, verify, skipLog, true);
    }

    /** The byte offset of the most recently returned record. */
    public long recordOffset() {
        return recordOffset;
    }

    /** The next record's payload (a copy), or {@code null} at the end of the file. */
    public byte[] next() throws IOException {
        return advance() ? java.util.Arrays.copyOfRange(buffer(), payloadOffset, payloadOffset + payloadLength) : null;
    }

    /**
     * Moves to the next record without copying it: its payload is {@link #buffer()}{@code
     * [payloadOffset(), payloadOffset() + length())}, valid until the next call. {@code false} at the
     * end of the file. Files up to {@link #WHOLE_FILE_LIMIT} are read whole and parsed in place;
     * larger ones are streamed.
     */
    public boolean advance() throws IOException {
        if (whole != null) {
            return advanceInMemory();
        }
        while (!ended) {
            recordOffset = offset;
            int got = readFully(header, 12);
            if (got == 0) {
                ended = true;
                return false;
            }
            if (got < 12) {
                return corruptTail("file ends inside a record header (" + got + " of 12 bytes)");
            }
            long length = littleLong(header, 0);
            if (verify && masked(crc(header, 0, 8)) != littleInt(header, 8)) {
                return corruptTail("length checksum mismatch");
            }
            if (length < 0 || length > MAX_RECORD) {
                return corruptTail("record length " + Long.toUnsignedString(length) + " is out of range");
            }
            payloadOffset = 0;
            payloadLength = (int) length;
            int p = readPayload(payloadLength);
            if (p < payloadLength) {
                return corruptTail("file ends inside a record (" + p + " of " + length + " payload bytes)");
            }
            int f = readFully(footer, 4);
            if (f < 4) {
                return corruptTail("file ends inside a record footer");
            }
            if (verify && masked(crc(payload, 0, payloadLength)) != littleInt(footer, 0)) {
                if (skipLog == null) {
                    throw new TfRecordCorruptException(path, recordOffset, "payload checksum mismatch");
                }
                skipLog.skipped(path, recordOffset, "payload checksum mismatch");
                continue;
            }
            return true;
        }
        return false;
    }

    /** {@link #advance()} over a file read whole: records are checked and returned in place. */
    private boolean advanceInMemory() throws IOException {
        while (!ended) {
            long pos = offset;
            recordOffset = pos;
            long left = wholeLength - pos;
            if (left == 0) {
                ended = true;
                return false;
            }
            if (left < 12) {
                return corruptTail("file ends inside a record header (" + left + " of 12 bytes)");
            }
            int at = (int) pos;
            long length = littleLong(whole, at);
            if (verify && masked(crc(whole, at, 8)) != littleInt(whole, at + 8)) {
                return corruptTail("length checksum mismatch");
            }
            if (length < 0 || length > MAX_RECORD) {
                return corruptTail("record length " + Long.toUnsignedString(length) + " is out of range");
            }
            if (left - 12 < length) {
                return corruptTail("file ends inside a record (" + (left - 12) + " of " + length + " payload bytes)");
            }
            if (left - 12 - length < 4) {
                return corruptTail("file ends inside a record footer");
            }
            payloadOffset = at + 12;
            payloadLength = (int) length;
            offset = pos + 12 + length + 4;
            if (verify && masked(crc(whole, payloadOffset, payloadLength)) != littleInt(whole, payloadOffset + payloadLength)) {
                if (skipLog == null) {
                    throw new TfRecordCorruptException(path, recordOffset, "payload checksum mismatch");
                }
                skipLog.skipped(path, recordOffset, "payload checksum mismatch");
                continue;
            }
            return true;
        }
        return false;
    }

    /** The array holding the current record (see {@link #advance()}), from {@link #payloadOffset()}. */
    public byte[] buffer() {
        return whole != null ? whole : payload;
    }

    /** Where the current record's payload starts in {@link #buffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** The current record's length. */
    public int length() {
        return payloadLength;
    }

    private int crc(byte[] b, int off, int len) {
        crc.reset();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    private boolean corruptTail(String reason) throws IOException {
        ended = true;
        if (skipLog == null) {
            throw new TfRecordCorruptException(path, recordOffset, reason);
        }
        skipLog.skipped(path, recordOffset, reason + "; the rest of the file is skipped");
        return false;
    }

    /**
     * Reads a payload of {@code len} bytes from the stream into {@link #payload}, growing it only as
     * bytes arrive (at most doubling, in steps of at least 1 MiB): a forged length on a short stream
     * allocates about what the stream holds, never the 2 GiB it claims (found by fuzzing: an
     * OutOfMemoryError). Returns the bytes read.
     */
    private int readPayload(int len) throws IOException {
        int n = 0;
        while (n < len) {
            if (n == payload.length) {
                long grown = Math.max(2L * payload.length, (long) n + (1 << 20));
                payload = java.util.Arrays.copyOf(payload, (int) Math.min(len, grown));
            }
            int r = in.read(payload, n, Math.min(len, payload.length) - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        offset += n;
        return n;
    }

    private int readFully(byte[] buf, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(buf, n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        offset += n;
        return n;
    }

    static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** TFRecord's masked CRC: rotate right by 15 and add a constant. */
    static int masked(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    static long littleLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    static int littleInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    @Override
    public void close() throws IOException {
        if (borrowed) {
            borrowed = false;
            SCRATCH.set(whole);
        }
        if (in != null) {
            in.close();
        }
    }
}
