package vidkit.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The container every binary file vidkit writes uses (after Lucene's {@code CodecUtil}):
 *
 * <pre>
 *   magic     8 bytes, ASCII, names the kind of file (e.g. "VKCKPT01")
 *   version   int32 big-endian, the format version of the payload
 *   length    int64 big-endian, payload bytes
 *   payload   length bytes
 *   checksum  int64 big-endian, CRC32C of everything before it
 * </pre>
 *
 * Files are written atomically. A reader rejects a wrong magic, a truncated or over-long file and a
 * checksum mismatch with {@link CorruptFileException}, and a version above what it knows with
 * {@link UnsupportedFormatVersionException}.
 *
 * @param version the payload's format version
 * @param payload the payload
 */
public record FramedFile(int version, byte[] payload) {
    private static final int HEADER = 8 + 4 + 8;
    private static final int FOOTER = 8;

    /** Writes {@code payload} framed under {@code magic} and {@code version}, atomically. */
    public static void write(Path file, String magic, int version, byte[] payload) throws IOException {
        byte[] m = magicBytes(magic);
        AtomicFiles.write(file, out -> {
            CRC32C crc = new CRC32C();
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            head.put(m).putInt(version).putLong(payload.length);
            crc.update(head.array());
            crc.update(payload);
            DataOutputStream d = new DataOutputStream(out);
            d.write(head.array());
            d.write(payload);
            d.writeLong(crc.getValue());
            d.flush();
        });
    }

    /** Reads and verifies a file written by {@link #write}. */
    public static FramedFile read(Path file, String magic, int maxVersion) throws IOException {
        if (!Files.exists(file)) {
            throw new InvalidDataException(file, "file does not exist");
        }
        return read(Files.readAllBytes(file), file, magic, maxVersion);
    }

    /** Verifies and unframes bytes written by {@link #write}; {@code file} names them in errors. */
    public static FramedFile read(byte[] all, Path file, String magic, int maxVersion) throws IOException {
        byte[] m = magicBytes(magic);
        if (all.length < HEADER + FOOTER || !Arrays.equals(Arrays.copyOf(all, 8), m)) {
            throw new CorruptFileException(file, "not a " + magic + " file (wrong magic or too short: "
                    + all.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        int version = b.getInt(8);
        long length = b.getLong(12);
        if (length < 0 || length != all.length - HEADER - FOOTER) {
            throw new CorruptFileException(file, "truncated or over-long: header declares " + length
                    + " payload bytes, the file holds " + (all.length - HEADER - FOOTER));
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - FOOTER);
        long stored = b.getLong(all.length - FOOTER);
        if (crc.getValue() != stored) {
            throw new CorruptFileException(file, String.format("checksum mismatch (stored %016x, computed %016x)",
                    stored, crc.getValue()));
        }
        if (version < 1 || version > maxVersion) {
            throw new UnsupportedFormatVersionException(file, "format version " + version
                    + " is not supported (this vidkit reads versions 1.." + maxVersion + "; written by a newer vidkit?)");
        }
        return new FramedFile(version, Arrays.copyOfRange(all, HEADER, all.length - FOOTER));
    }

    private static byte[] magicBytes(String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (m.length != 8) {
            throw new IllegalArgumentException("magic must be 8 ASCII bytes: " + magic);
        }
        return m;
    }
}
