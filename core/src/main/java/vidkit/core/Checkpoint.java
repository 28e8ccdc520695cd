package vidkit.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import vidkit.data.AtomicFiles;
import vidkit.data.CorruptFileException;
import vidkit.data.FramedFile;
import vidkit.data.InvalidDataException;
import vidkit.data.UnsupportedFormatVersionException;

/**
 * A training checkpoint. Format version 2, streamed to its temporary file (no in-memory copy of the
 * whole, so its size is bounded by the disk, not by a Java array) and renamed into place:
 *
 * <pre>
 *   magic       8 bytes "VKCKPT01"
 *   version     int32 = 2
 *   header      int32 length, then the {@link CheckpointHeader} as JSON (UTF-8)
 *   blocks      int32 count; per block ({@link ModelBlocks}): UTF name, int32 parameters; per
 *               parameter: UTF key, int64 length, DJL's NDArray encoding
 *   optimizer   int8 present (0/1); then the optimizer's own stream (its arrays, each length-prefixed)
 *   length      int64, bytes before this field
 *   checksum    int64, CRC32C of every byte before it
 * </pre>
 *
 * Version 1 (the whole payload in a {@link FramedFile}: header JSON, DJL's whole-model parameter
 * encoding, optimizer bytes) is still read. A reader rejects a wrong magic, truncation, a checksum
 * mismatch and forged lengths with {@link CorruptFileException}, and a version above 2 with {@link
 * UnsupportedFormatVersionException}; the checksum is verified before anything is parsed.
 */
public final class Checkpoint {
    public static final String MAGIC = "VKCKPT01";
    public static final int VERSION = 2;
    private static final int PREFIX = 8 + 4;
    private static final int FOOTER = 16;

    /** Writes the optimizer's state into a checkpoint's stream. */
    public interface StateWriter {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private final Path file;
    private final int version;
    private final CheckpointHeader header;
    private final Map<String, Map<String, byte[]>> blocks; // v2
    private final byte[] wholeModel; // v1
    private final byte[] optimizerV1;
    private final long optimizerOffset; // v2: offset of the optimizer stream, -1 when absent
    /** Where the bytes came from: the file, or the bytes themselves (read with {@link #read(byte[], Path)}). */
    private final Bytes source;

    /** A checkpoint's bytes: a file, or an array (a checkpoint shipped to a Spark executor). */
    private interface Bytes {
        long size() throws IOException;

        InputStream open() throws IOException;

        static Bytes of(Path file) {
            return new Bytes() {
                public long size() throws IOException {
                    return Files.size(file);
                }

                public InputStream open() throws IOException {
                    return Files.newInputStream(file);
                }
            };
        }

        static Bytes of(byte[] bytes) {
            return new Bytes() {
                public long size() {
                    return bytes.length;
                }

                public InputStream open() {
                    return new ByteArrayInputStream(bytes);
                }
            };
        }
    }

    private Checkpoint(Path file, Bytes source, int version, CheckpointHeader header,
            Map<String, Map<String, byte[]>> blocks, byte[] wholeModel, byte[] optimizerV1, long optimizerOffset) {
        this.source = source;
        this.file = file;
        this.version = version;
        this.header = header;
        this.blocks = blocks;
        this.wholeModel = wholeModel;
        this.optimizerV1 = optimizerV1;
        this.optimizerOffset = optimizerOffset;
    }

    /** Writes a version-2 checkpoint of {@code model} (and the optimizer, when not null), atomically. */
    public static void write(Path file, CheckpointHeader header, Block model, StateWriter optimizer) throws IOException {
        byte[] json = Json.MAPPER.writeValueAsBytes(header);
        Map<String, List<Pair<String, Parameter>>> named = ModelBlocks.of(model);
        AtomicFiles.write(file, raw -> {
            Crc crc = new Crc(raw);
            DataOutputStream out = new DataOutputStream(crc);
            out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
            out.writeInt(VERSION);
            out.writeInt(json.length);
            out.write(json);
            out.writeInt(named.size());
            for (var block : named.entrySet()) {
                out.writeUTF(block.getKey());
                out.writeInt(block.getValue().size());
                for (Pair<String, Parameter> p : block.getValue()) {
                    out.writeUTF(p.getKey());
                    byte[] enc = p.getValue().getArray().encode();
                    out.writeLong(enc.length);
                    out.write(enc);
                }
            }
            out.writeByte(optimizer == null ? 0 : 1);
            if (optimizer != null) {
                optimizer.writeTo(out);
            }
            out.flush();
            long length = crc.count;
            out.writeLong(length);
            out.flush();
            long sum = crc.crc.getValue();
            out.writeLong(sum);
            out.flush();
        });
    }

    /** Reads and verifies a checkpoint of version 1 or 2. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new InvalidDataException(file, "checkpoint does not exist");
        }
        return read(file, Bytes.of(file));
    }

    /**
     * Reads and verifies a checkpoint held in memory (as shipped to a Spark executor); {@code name}
     * names it in errors and is what {@link #file()} returns. Same checks as {@link #read(Path)}.
     */
    public static Checkpoint read(byte[] bytes, Path name) throws IOException {
        return read(name, Bytes.of(bytes));
    }

    private static Checkpoint read(Path file, Bytes source) throws IOException {
        long size = source.size();
        byte[] prefix = new byte[PREFIX];
        try (InputStream in = source.open()) {
            int n = in.readNBytes(prefix, 0, PREFIX);
            if (n < PREFIX || !Arrays.equals(Arrays.copyOf(prefix, 8), MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                throw new CorruptFileException(file, "not a " + MAGIC + " checkpoint (wrong magic or too short: " + size
                        + " bytes)");
            }
        }
        int version = java.nio.ByteBuffer.wrap(prefix, 8, 4).getInt();
        if (version == 1) {
            try (InputStream in = source.open()) {
                return readVersion1(file, source, FramedFile.read(in.readAllBytes(), file, MAGIC, 1));
            }
        }
        if (version < 1 || version > VERSION) {
            throw new UnsupportedFormatVersionException(file, "checkpoint format version " + version
                    + " is not supported (this vidkit reads versions 1.." + VERSION + "; written by a newer vidkit?)");
        }
        verify(file, source, size);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(source.open(), 1 << 16))) {
            Bounded b = new Bounded(file, in, size - FOOTER);
            b.skip(PREFIX);
            byte[] json = b.bytes(b.int32("header length"), "header");
            CheckpointHeader header = header(file, json);
            int count = b.int32("block count");
            Map<String, Map<String, byte[]>> blocks = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = b.utf("block name");
                int params = b.int32("parameter count of block " + name);
                Map<String, byte[]> values = new LinkedHashMap<>();
                for (int k = 0; k < params; k++) {
                    String key = b.utf("parameter name");
                    long length = b.int64("length of " + name + "/" + key);
                    if (length > Integer.MAX_VALUE - 16) {
                        throw new CorruptFileException(file, "parameter " + name + "/" + key + " declares " + length
                                + " bytes (one array must stay under 2 GB)");
                    }
                    values.put(key, b.bytes((int) length, name + "/" + key));
                }
                blocks.put(name, values);
            }
            int present = b.int8("optimizer flag");
            long optimizerOffset = present == 1 ? b.position : -1;
            if (present != 0 && present != 1) {
                throw new CorruptFileException(file, "optimizer flag is " + present + " (expected 0 or 1)");
            }
            return new Checkpoint(file, source, 2, header, blocks, null, null, optimizerOffset);
        }
    }

    /** Streams the file once: the declared length must match its size and the CRC32C its bytes. */
    private static void verify(Path file, Bytes source, long size) throws IOException {
        if (size < PREFIX + FOOTER) {
            throw new CorruptFileException(file, "truncated: " + size + " bytes");
        }
        CRC32C crc = new CRC32C();
        byte[] footer = new byte[FOOTER];
        try (InputStream in = new BufferedInputStream(source.open(), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            long left = size - FOOTER;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new CorruptFileException(file, "truncated while verifying");
                }
                crc.update(buf, 0, n);
                left -= n;
            }
            if (in.readNBytes(footer, 0, FOOTER) != FOOTER) {
                throw new CorruptFileException(file, "truncated footer");
            }
        }
        java.nio.ByteBuffer f = java.nio.ByteBuffer.wrap(footer);
        long length = f.getLong();
        crc.update(footer, 0, 8);
        long stored = f.getLong();
        if (length != size - FOOTER) {
            throw new CorruptFileException(file, "truncated or over-long: the footer declares " + length
                    + " bytes before it, the file holds " + (size - FOOTER));
        }
        if (crc.getValue() != stored) {
            throw new CorruptFileException(file, String.format("checksum mismatch (stored %016x, computed %016x)", stored,
                    crc.getValue()));
        }
    }

    private static Checkpoint readVersion1(Path file, Bytes source, FramedFile framed) throws IOException {
        byte[][] parts = new byte[3][];
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(framed.payload()))) {
            for (int i = 0; i < 3; i++) {
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw new CorruptFileException(file, "part " + i + " declares " + n + " bytes");
                }
                parts[i] = in.readNBytes(n);
            }
        }
        // version 1 kept the training state and the task's state side by side at the top level
        JsonNode tree = tree(file, parts[0]);
        if (!(tree instanceof ObjectNode o) || !o.has("config")) {
            throw new CorruptFileException(file, "version-1 header is not an object with a config");
        }
        ObjectNode task = o.deepCopy();
        for (String k : List.of("vidkitVersion", "config", "epoch", "schedule", "bestMetric", "bestEpoch",
                "epochsWithoutImprovement")) {
            task.remove(k);
        }
        TrainingState training;
        try {
            training = new TrainingState(o.path("epoch").asInt(), Json.MAPPER.treeToValue(o.path("schedule"),
                    TrainingState.ScheduleState.class), o.path("bestMetric").asDouble(), o.path("bestEpoch").asInt(),
                    o.path("epochsWithoutImprovement").asInt());
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptFileException(file, "unreadable version-1 header: " + e.getMessage());
        }
        TaskConfig config = TaskRegistry.bindConfig((ObjectNode) o.get("config"), file);
        CheckpointHeader header = new CheckpointHeader(o.path("vidkitVersion").asText("unknown"), config, training, task);
        return new Checkpoint(file, source, 1, header, null, parts[1], parts[2].length == 0 ? null : parts[2], -1);
    }

    private static JsonNode tree(Path file, byte[] json) throws CorruptFileException {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getMessage());
        }
    }

    private static CheckpointHeader header(Path file, byte[] json) throws IOException {
        JsonNode tree = tree(file, json);
        if (!(tree instanceof ObjectNode o) || !(o.get("config") instanceof ObjectNode config)
                || !(o.get("training") instanceof ObjectNode)) {
            throw new CorruptFileException(file, "header is not an object with a config and a training state");
        }
        try {
            TrainingState training = Json.MAPPER.treeToValue(o.get("training"), TrainingState.class);
            return new CheckpointHeader(o.path("vidkitVersion").asText("unknown"), TaskRegistry.bindConfig(config, file),
                    training, o.path("task"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    /** The format version it was written in (1 or 2). */
    public int formatVersion() {
        return version;
    }

    public CheckpointHeader header() {
        return header;
    }

    /** The task that trained it (its config's {@code type}). */
    public String taskType() {
        return header.config().type();
    }

    /** The task's state bound to its record; a mismatch is a corrupt header. */
    public <S> S taskState(Class<S> type) throws CorruptFileException {
        try {
            return Json.MAPPER.treeToValue(header.task(), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptFileException(file, "unreadable " + header.config().type() + " state in the header: "
                    + e.getMessage());
        }
    }

    /** Builds a task's model, initialized, for its config and state in a manager. */
    public interface ModelBuilder<C, S, M extends Block> {
        M build(C config, NDManager manager, S state);
    }

    /** Wraps a restored model into the task's trained-model type. */
    public interface Restored<C, S, M extends Block, R> {
        R wrap(NDManager manager, M model, C config, S state, Checkpoint checkpoint);
    }

    /**
     * Restores a task's trained model from this checkpoint: its config must be a {@code configType}
     * (else the error names both tasks), the task state binds to {@code stateType}, the model is
     * built in a new base manager and its parameters restored; the manager is closed on failure,
     * else owned by what {@code restored} returns.
     */
    public <C extends TaskConfig, S, M extends Block, R> R restore(Class<C> configType, Class<S> stateType,
            ModelBuilder<C, S, M> builder, Restored<C, S, M, R> restored) throws IOException {
        if (!configType.isInstance(header.config())) {
            String wanted = TaskRegistry.types().stream().filter(t -> TaskRegistry.configTypeOf(t) == configType)
                    .findFirst().orElse(configType.getSimpleName());
            throw new InvalidDataException(file, "is a checkpoint of a " + taskType() + " run; this needs a " + wanted
                    + " run");
        }
        C config = configType.cast(header.config());
        S state = taskState(stateType);
        NDManager manager = NDManager.newBaseManager();
        try {
            M model = builder.build(config, manager, state);
            loadParameters(model, manager);
            return restored.wrap(manager, model, config, state, this);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The names of the blocks it stores (version 2), or {@code null} for a version-1 checkpoint. */
    public java.util.Set<String> blockNames() {
        return blocks == null ? null : blocks.keySet();
    }

    /**
     * Restores every parameter into {@code model}, freshly built from the header's config and
     * initialized: version 2 block by block (names and shapes checked), version 1 through DJL's
     * whole-model encoding. Trainable parameters still collect gradients afterwards.
     */
    public void loadParameters(Block model, NDManager manager) throws InvalidDataException {
        if (wholeModel != null) {
            try {
                model.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(wholeModel)));
            } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
                throw new InvalidDataException(file, "parameters do not fit the model in its config: " + e.getMessage());
            }
            for (Pair<String, Parameter> p : model.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            return;
        }
        Map<String, List<Pair<String, Parameter>>> named = ModelBlocks.of(model);
        if (!named.keySet().equals(blocks.keySet())) {
            throw new InvalidDataException(file, "stores blocks " + blocks.keySet() + " but the model in its config has "
                    + named.keySet());
        }
        for (var block : named.entrySet()) {
            Map<String, byte[]> stored = blocks.get(block.getKey());
            if (stored.size() != block.getValue().size()) {
                throw new InvalidDataException(file, "block " + block.getKey() + " stores " + stored.size()
                        + " parameters, the model has " + block.getValue().size());
            }
            for (Pair<String, Parameter> p : block.getValue()) {
                byte[] enc = stored.get(p.getKey());
                if (enc == null) {
                    throw new InvalidDataException(file, "block " + block.getKey() + " lacks parameter " + p.getKey());
                }
                NDArray target = p.getValue().getArray();
                checkEncoding(file, block.getKey() + "/" + p.getKey(), enc, target);
                try (NDArray loaded = target.getManager().decode(enc)) { // type and shape checked above
                    target.set(loaded.toByteBuffer());
                } catch (RuntimeException e) {
                    throw new CorruptFileException(file, "parameter " + block.getKey() + "/" + p.getKey()
                            + " does not decode: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Checks a stored parameter's DJL encoding against the model's parameter before DJL decodes it:
     * DJL's decoder allocates whatever the bytes declare (a forged dimension count or data length
     * made it allocate gigabytes: found by fuzzing, an OutOfMemoryError). The encoding, as DJL
     * 0.35's {@code NDSerializer} writes it (big-endian): UTF "NDAR", int32 version 1..3, [version
     * &ge; 2: int8 has-name, UTF name], UTF sparse format, UTF data type, int32 dimensions, int64 per
     * dimension, int32 layout length, 2 bytes per layout character, [version 3: int8 byte order],
     * int32 data length, the data. Here: every length within the bytes, the data type and shape the
     * model's, the data exactly their size.
     */
    public static void checkEncoding(Path file, String name, byte[] enc, NDArray target) throws CorruptFileException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(enc);
        try {
            if (!"NDAR".equals(utf(b))) {
                throw new CorruptFileException(file, "parameter " + name + " is not a DJL array encoding");
            }
            int version = b.getInt();
            if (version < 1 || version > 3) {
                throw new CorruptFileException(file, "parameter " + name + ": array encoding version " + version);
            }
            if (version > 1 && b.get() == 1) {
                utf(b);
            }
            utf(b); // sparse format
            String type = utf(b);
            if (!type.equals(target.getDataType().name())) {
                throw new CorruptFileException(file, "parameter " + name + " is " + type + ", the model's "
                        + target.getDataType().name());
            }
            long[] dims = target.getShape().getShape();
            int ndim = b.getInt();
            if (ndim != dims.length) {
                throw new CorruptFileException(file, "parameter " + name + " has " + ndim + " dimensions, the model's "
                        + dims.length);
            }
            for (int i = 0; i < ndim; i++) {
                long d = b.getLong();
                if (d != dims[i]) {
                    throw new CorruptFileException(file, "parameter " + name + " has dimension " + i + " = " + d
                            + ", the model's " + dims[i]);
                }
            }
            int layout = b.getInt();
            if (layout < 0 || layout > b.remaining() / 2) {
                throw new CorruptFileException(file, "parameter " + name + " declares a layout of " + layout + " characters");
            }
            b.position(b.position() + 2 * layout);
            if (version > 2) {
                b.get();
            }
            long expected = target.getShape().size() * target.getDataType().getNumOfBytes();
            int length = b.getInt();
            if (length != expected || b.remaining() != expected) {
                throw new CorruptFileException(file, "parameter " + name + " declares " + length + " data bytes and holds "
                        + b.remaining() + "; its shape needs " + expected);
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptFileException(file, "parameter " + name + ": array encoding cut short");
        }
    }

    /** A {@code DataOutput.writeUTF} string (its bytes decoded as UTF-8: only compared, never shown raw). */
    private static String utf(java.nio.ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        if (n > b.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the optimizer's state was saved (last checkpoints have it, best ones not). */
    public boolean hasOptimizerState() {
        return optimizerV1 != null || optimizerOffset >= 0;
    }

    /** The optimizer's stream, positioned at its start; the caller closes it. */
    public DataInputStream openOptimizerState() throws IOException {
        if (!hasOptimizerState()) {
            throw new InvalidDataException(file, "holds no optimizer state (resume from last.ckpt)");
        }
        if (optimizerV1 != null) {
            return new DataInputStream(new ByteArrayInputStream(optimizerV1));
        }
        InputStream in = new BufferedInputStream(source.open(), 1 << 16);
        in.skipNBytes(optimizerOffset);
        return new DataInputStream(in);
    }

    /** Counts and checksums what passes through. */
    private static final class Crc extends FilterOutputStream {
        final CRC32C crc = new CRC32C();
        long count;

        Crc(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }
    }

    /** Reads fields and never trusts a length beyond the bytes that are left. */
    private static final class Bounded {
        final Path file;
        final DataInputStream in;
        final long end;
        long position;

        Bounded(Path file, DataInputStream in, long end) {
            this.file = file;
            this.in = in;
            this.end = end;
        }

        private void need(long n, String what) throws CorruptFileException {
            if (n < 0 || n > end - position) {
                throw new CorruptFileException(file, what + ": " + n + " bytes declared, " + (end - position) + " left");
            }
        }

        void skip(long n) throws IOException {
            in.skipNBytes(n);
            position += n;
        }

        int int8(String what) throws IOException {
            need(1, what);
            position++;
            return in.readUnsignedByte();
        }

        int int32(String what) throws IOException {
            need(4, what);
            position += 4;
            int v = in.readInt();
            if (v < 0) {
                throw new CorruptFileException(file, what + " is negative: " + v);
            }
            return v;
        }

        long int64(String what) throws IOException {
            need(8, what);
            position += 8;
            long v = in.readLong();
            if (v < 0) {
                throw new CorruptFileException(file, what + " is negative: " + v);
            }
            return v;
        }

        String utf(String what) throws IOException {
            need(2, what);
            int n = in.readUnsignedShort();
            position += 2;
            byte[] b = bytes(n, what);
            try {
                return new DataInputStream(new ByteArrayInputStream(concat(n, b))).readUTF();
            } catch (EOFException | java.io.UTFDataFormatException e) {
                throw new CorruptFileException(file, what + " is not modified UTF-8");
            }
        }

        private static byte[] concat(int n, byte[] b) {
            byte[] out = new byte[b.length + 2];
            out[0] = (byte) (n >>> 8);
            out[1] = (byte) n;
            System.arraycopy(b, 0, out, 2, b.length);
            return out;
        }

        byte[] bytes(int n, String what) throws IOException {
            need(n, what);
            byte[] b = in.readNBytes(n);
            position += n;
            return b;
        }
    }
}
