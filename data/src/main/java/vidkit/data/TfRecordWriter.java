package vidkit.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a TFRecord file (framing in {@link TfRecordReader}) to a temporary file beside the target
 * and renames it into place on {@link #close()}, so a crash never leaves a half-written shard. {@link
 * #abort()} deletes the temporary file instead.
 */
public final class TfRecordWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private final byte[] header = new byte[12];
    private final byte[] footer = new byte[4];
    private boolean closed;

    public TfRecordWriter(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        AtomicFiles.sweepStale(this.target, ".tmp");
        this.temp = Files.createTempFile(dir, AtomicFiles.tempPrefix(this.target), ".tmp");
        this.out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20);
    }

    private TfRecordWriter(Path target, OutputStream out) {
        this.target = target;
        this.temp = null;
        this.out = out;
    }

    /**
     * A log that appends to {@code target} in place (for TensorBoard event files, which readers
     * follow while they grow): {@link #flush()} makes what was written visible; after a crash the
     * file ends with at most one incomplete record, which readers detect by its framing.
     */
    public static TfRecordWriter appending(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return new TfRecordWriter(target, new BufferedOutputStream(Files.newOutputStream(target,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), 1 << 16));
    }

    /** Pushes buffered records to the file. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Appends one record. */
    public void write(byte[] payload) throws IOException {
        long length = payload.length;
        for (int i = 0; i < 8; i++) {
            header[i] = (byte) (length >>> (8 * i));
        }
        putLittleInt(header, 8, TfRecordReader.masked(TfRecordReader.crc32c(header, 0, 8)));
        putLittleInt(footer, 0, TfRecordReader.masked(TfRecordReader.crc32c(payload, 0, payload.length)));
        out.write(header);
        out.write(payload);
        out.write(footer);
    }

    private static void putLittleInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Discards everything written. */
    public void abort() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
            if (temp != null) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }
}
