package vidkit.index;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import vidkit.data.AtomicFiles;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;
import vidkit.data.UnsupportedFormatVersionException;

/**
 * A library of embeddings: ids and {@code [count, dim]} float32 rows, in vidkit's own file format,
 * read through a memory map (the rows are never copied onto the heap as a whole).
 *
 * <pre>
 *   offset 0   magic     8 bytes "VKEMBLIB"
 *          8   version   int32 little-endian (1)
 *         12   dim       int32
 *         16   count     int64
 *         24   idBytes   int64: length of the id block
 *         32   rows      count × dim float32 little-endian (row-major; 4-byte aligned)
 *              ids       count × (int32 length, UTF-8 bytes)
 *              checksum  int64: CRC32C of every byte before it
 * </pre>
 *
 * Files are written to a temporary file and renamed. Opening checks the magic, the version (a newer
 * one is {@link UnsupportedFormatVersionException}), that the sizes add up to the file's length and
 * the checksum ({@link CorruptFileException} otherwise), and that the ids are unique and the rows
 * finite.
 */
public final class EmbeddingLibrary implements AutoCloseable {
    public static final String MAGIC = "VKEMBLIB";
    public static final int VERSION = 1;
    static final int HEADER = 32;
    private final Path path;
    private final int dim;
    private final List<String> ids;
    private final Map<String, Integer> index;
    private final FloatBuffer rows;
    private final FileChannel channel;
    private final long checksum;

    private EmbeddingLibrary(Path path, int dim, List<String> ids, FloatBuffer rows, FileChannel channel, long checksum) {
        this.path = path;
        this.checksum = checksum;
        this.dim = dim;
        this.ids = ids;
        this.rows = rows;
        this.channel = channel;
        this.index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
    }

    /** Writes {@code ids} and {@code vectors [ids.size(), dim]} row-major, atomically. */
    public static void write(Path file, List<String> ids, float[] vectors, int dim) throws IOException {
        if (dim < 1 || (long) ids.size() * dim != vectors.length) {
            throw new IllegalArgumentException(ids.size() + " ids and " + vectors.length + " values do not make rows of " + dim);
        }
        write(file, ids, dim, new java.util.Iterator<>() {
            int row;

            @Override
            public boolean hasNext() {
                return row < ids.size();
            }

            @Override
            public Entry next() {
                float[] v = java.util.Arrays.copyOfRange(vectors, row * dim, (row + 1) * dim);
                return new Entry(ids.get(row++), v);
            }
        });
    }

    /** One row streamed into a library: its id and its {@code [dim]} vector. */
    public record Entry(String id, float[] vector) {}

    /**
     * Writes a library whose vectors arrive one row at a time (a Spark job's embedding shards, read in
     * order), atomically: {@code ids} are the rows' ids in order, and {@code rows} must yield exactly
     * those ids in that order, each with a {@code [dim]} vector of finite values.
     */
    public static void write(Path file, List<String> ids, int dim, java.util.Iterator<Entry> rows) throws IOException {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dim);
        }
        if (new java.util.HashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("library ids must be unique");
        }
        List<byte[]> idBytes = new ArrayList<>();
        long idLength = 0;
        for (String id : ids) {
            byte[] b = id.getBytes(StandardCharsets.UTF_8);
            idBytes.add(b);
            idLength += 4 + b.length;
        }
        final long idBlock = idLength;
        AtomicFiles.sweepStale(file, ".tmp"); // what a killed writer left
        AtomicFiles.write(file, raw -> {
            CRC32C crc = new CRC32C();
            OutputStream checked = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    crc.update(b);
                    raw.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    crc.update(b, off, len);
                    raw.write(b, off, len);
                }
            };
            BufferedOutputStream out = new BufferedOutputStream(checked, 1 << 20);
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(VERSION).putInt(dim).putLong(ids.size()).putLong(idBlock);
            out.write(head.array());
            ByteBuffer block = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < ids.size(); r++) {
                if (!rows.hasNext()) {
                    throw new IllegalArgumentException("rows end after " + r + " of " + ids.size() + " ids");
                }
                Entry e = rows.next();
                if (!e.id().equals(ids.get(r))) {
                    throw new IllegalArgumentException("row " + r + " is '" + e.id() + "', expected '" + ids.get(r) + "'");
                }
                if (e.vector().length != dim) {
                    throw new IllegalArgumentException("row " + r + " (" + e.id() + ") has " + e.vector().length
                            + " values, expected " + dim);
                }
                for (float x : e.vector()) {
                    if (!Float.isFinite(x)) {
                        throw new IllegalArgumentException("non-finite value in row " + r + " (" + e.id() + ")");
                    }
                }
                block.clear();
                block.asFloatBuffer().put(e.vector());
                out.write(block.array(), 0, 4 * dim);
            }
            if (rows.hasNext()) {
                throw new IllegalArgumentException("more rows than the " + ids.size() + " ids");
            }
            ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] b : idBytes) {
                len.clear();
                len.putInt(b.length);
                out.write(len.array());
                out.write(b);
            }
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        });
    }

    /** Opens a library, verifying its structure and checksum. */
    public static EmbeddingLibrary open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "library file does not exist");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size < HEADER + 8) {
                throw new CorruptFileException(file, "too short for a library (" + size + " bytes)");
            }
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            head.flip();
            byte[] magic = new byte[8];
            head.get(magic);
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new CorruptFileException(file, "not a vidkit embedding library (magic '"
                        + new String(magic, StandardCharsets.ISO_8859_1) + "', expected '" + MAGIC + "')");
            }
            int version = head.getInt();
            if (version > VERSION || version < 1) {
                throw new UnsupportedFormatVersionException(file, "library format version " + version
                        + " (this vidkit reads up to " + VERSION + "; a newer vidkit wrote it)");
            }
            int dim = head.getInt();
            long count = head.getLong();
            long idBlock = head.getLong();
            long rowBytes = 4L * dim * count;
            if (dim < 1 || count < 0 || idBlock < 0 || HEADER + rowBytes + idBlock + 8 != size) {
                throw new CorruptFileException(file, "sizes do not add up: dim " + dim + ", count " + count + ", id bytes "
                        + idBlock + ", file " + size + " bytes (truncated or overwritten?)");
            }
            if (rowBytes > Integer.MAX_VALUE - 8) {
                throw new CorruptFileException(file, "libraries above 2 GiB of rows are not supported by format version 1");
            }
            // checksum over everything before the footer, in mapped chunks
            CRC32C crc = new CRC32C();
            long bodyEnd = size - 8;
            for (long off = 0; off < bodyEnd; off += 1 << 26) {
                crc.update(ch.map(FileChannel.MapMode.READ_ONLY, off, Math.min(1L << 26, bodyEnd - off)));
            }
            ByteBuffer foot = ByteBuffer.allocate(8);
            ch.read(foot, bodyEnd);
            foot.flip();
            if (foot.getLong() != crc.getValue()) {
                throw new CorruptFileException(file, "checksum mismatch (the file was changed or damaged)");
            }
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, HEADER, rowBytes);
            FloatBuffer rows = mapped.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            ByteBuffer idBuf = ch.map(FileChannel.MapMode.READ_ONLY, HEADER + rowBytes, idBlock).order(ByteOrder.LITTLE_ENDIAN);
            List<String> ids = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                if (idBuf.remaining() < 4) {
                    // found by fuzzing: a re-sealed file with fewer id bytes than ids escaped as BufferUnderflowException
                    throw new CorruptFileException(file, "the id block ends before id " + i + " of " + count);
                }
                int len = idBuf.getInt();
                if (len < 0 || len > idBuf.remaining()) {
                    throw new CorruptFileException(file, "id " + i + " declares " + len + " bytes");
                }
                byte[] b = new byte[len];
                idBuf.get(b);
                ids.add(new String(b, StandardCharsets.UTF_8));
            }
            if (idBuf.hasRemaining()) {
                throw new CorruptFileException(file, "the id block has " + idBuf.remaining() + " bytes after its " + count
                        + " ids");
            }
            EmbeddingLibrary lib = new EmbeddingLibrary(file, dim, Collections.unmodifiableList(ids), rows, ch, crc.getValue());
            if (lib.index.size() != ids.size()) {
                throw new CorruptFileException(file, "ids are not unique");
            }
            return lib;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The CRC32C of the file's body (its footer): what an index built from this library records. */
    public long checksum() {
        return checksum;
    }

    public int dim() {
        return dim;
    }

    public int size() {
        return ids.size();
    }

    public List<String> ids() {
        return ids;
    }

    /** The row of {@code id}, or -1. */
    public int indexOf(String id) {
        return index.getOrDefault(id, -1);
    }

    /** Copies rows {@code [from, from + n)} into {@code out} (row-major). */
    public void rows(int from, int n, float[] out) {
        rows.get(from * dim, out, 0, n * dim);
    }

    /** One row. */
    public float[] row(int i) {
        float[] r = new float[dim];
        rows(i, 1, r);
        return r;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
