package vidkit.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Reads little-endian {@code float32}, {@code float16}, {@code uint8} and {@code int64}, in C or
 * Fortran order (Fortran-order data is transposed into C order on reading: the course's audio
 * features are stored that way). Anything else, a truncated file, trailing bytes or a malformed
 * header raises {@link NpyFormatException}. Writes version 1.0, C order, atomically.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads an array from {@code file}. */
    public static NpyArray read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidDataException(file, "file does not exist");
        }
        return parse(file, bytes);
    }

    /** Parses the bytes of a {@code .npy} file; {@code file} is used in error messages only. */
    public static NpyArray parse(Path file, byte[] bytes) throws NpyFormatException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new NpyFormatException(file, "not a .npy file (expected the magic \\x93NUMPY at byte 0)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new NpyFormatException(file, "truncated header");
            }
            headerLen = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new NpyFormatException(file, "unsupported .npy format version " + major + " (expected 1, 2 or 3)");
        }
        if (headerLen < 0 || headerStart + (long) headerLen > bytes.length) {
            throw new NpyFormatException(file, "truncated header: declares " + headerLen + " bytes");
        }
        String header = new String(bytes, headerStart, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "descr");
        NpyDtype dtype = NpyDtype.fromDescr(descr);
        if (dtype == null) {
            throw new NpyFormatException(file, "unsupported dtype '" + descr
                    + "' (expected little-endian float32 '<f4', float16 '<f2', uint8 '|u1' or int64 '<i8')");
        }
        boolean fortran = group(file, ORDER, header, "fortran_order").equals("True");
        int[] shape = parseShape(file, group(file, SHAPE, header, "shape"));
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int dataStart = headerStart + headerLen;
        long expected = count * dtype.bytes();
        long actual = bytes.length - (long) dataStart;
        if (actual < expected) {
            throw new NpyFormatException(file, "truncated data: shape " + Arrays.toString(shape) + " of " + descr
                    + " needs " + expected + " bytes, the file has " + actual);
        }
        if (actual > expected) {
            throw new NpyFormatException(file, "trailing bytes: shape " + Arrays.toString(shape) + " of " + descr
                    + " needs " + expected + " bytes, the file has " + actual);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException(file, "array too large: " + count + " elements");
        }
        int n = (int) count;
        buf.position(dataStart);
        float[] floats = null;
        long[] longs = null;
        switch (dtype) {
            case FLOAT32 -> {
                floats = new float[n];
                buf.asFloatBuffer().get(floats);
            }
            case FLOAT16 -> {
                floats = new float[n];
                for (int i = 0; i < n; i++) {
                    floats[i] = Float.float16ToFloat(buf.getShort(dataStart + 2 * i));
                }
            }
            case UINT8 -> {
                floats = new float[n];
                for (int i = 0; i < n; i++) {
                    floats[i] = bytes[dataStart + i] & 0xff;
                }
            }
            case INT64 -> {
                longs = new long[n];
                buf.asLongBuffer().get(longs);
            }
        }
        if (fortran && shape.length > 1) {
            int[] perm = fortranToC(shape);
            if (floats != null) {
                float[] c = new float[n];
                for (int i = 0; i < n; i++) {
                    c[i] = floats[perm[i]];
                }
                floats = c;
            } else {
                long[] c = new long[n];
                for (int i = 0; i < n; i++) {
                    c[i] = longs[perm[i]];
                }
                longs = c;
            }
        }
        return new NpyArray(shape, dtype, floats, longs);
    }

    /** For each C-order index, the index of the same element in Fortran order. */
    private static int[] fortranToC(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] perm = new int[n];
        int[] idx = new int[shape.length];
        for (int c = 0; c < n; c++) {
            int f = 0;
            int stride = 1;
            for (int k = 0; k < shape.length; k++) {
                f += idx[k] * stride;
                stride *= shape[k];
            }
            perm[c] = f;
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return perm;
    }

    private static String group(Path file, Pattern p, String header, String key) throws NpyFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException(file, "malformed header: no valid '" + key + "' entry in " + header.strip());
        }
        return m.group(1);
    }

    private static int[] parseShape(Path file, String text) throws NpyFormatException {
        String[] parts = text.split(",");
        int count = 0;
        int[] shape = new int[parts.length];
        for (String part : parts) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                shape[count++] = Integer.parseInt(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(file, "malformed shape (" + text + ")");
            }
            if (shape[count - 1] < 0) {
                throw new NpyFormatException(file, "negative dimension in shape (" + text + ")");
            }
        }
        return Arrays.copyOf(shape, count);
    }

    /** Writes {@code array} to {@code file} (version 1.0, C order, little-endian), atomically. */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.write(file, out -> writeTo(new DataOutputStream(out), array));
    }

    /** The bytes of {@code array} as an {@code .npy} file (what {@link #write} writes). */
    public static byte[] encode(NpyArray array) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(128 + 4 * array.size());
        try {
            DataOutputStream out = new DataOutputStream(bytes);
            writeTo(out, array);
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeTo(DataOutputStream out, NpyArray array) throws IOException {
        int[] shape = array.shape();
        StringBuilder sb = new StringBuilder("{'descr': '").append(array.dtype().descr())
                .append("', 'fortran_order': False, 'shape': (");
        for (int d : shape) {
            sb.append(d).append(", ");
        }
        if (shape.length > 1) {
            sb.setLength(sb.length() - 2);
        } else if (shape.length == 1) {
            sb.setLength(sb.length() - 1);
        }
        sb.append("), }");
        int unpadded = 10 + sb.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        sb.append(" ".repeat(padded - unpadded)).append('\n');
        out.write(MAGIC);
        out.writeByte(1);
        out.writeByte(0);
        int hlen = sb.length();
        out.writeByte(hlen & 0xff);
        out.writeByte(hlen >>> 8);
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int n = array.size();
        for (int i = 0; i < n; i++) {
            if (b.remaining() < 8) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            switch (array.dtype()) {
                case FLOAT32 -> b.putFloat(array.floats()[i]);
                case FLOAT16 -> b.putShort(Float.floatToFloat16(array.floats()[i]));
                case UINT8 -> b.put((byte) (int) array.floats()[i]);
                case INT64 -> b.putLong(array.longs()[i]);
            }
        }
        out.write(b.array(), 0, b.position());
        out.flush();
    }
}
