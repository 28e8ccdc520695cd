package vidkit.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffer wire format, just what {@code tf.train.Example} (and an ONNX graph edit)
 * needs: a reader and a writer. Malformed input is a {@link ProtoException}.
 */
public final class Proto {
    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LENGTH_DELIMITED = 2;
    public static final int FIXED32 = 5;

    /** Little-endian float loads from a byte array (compiled to plain loads). */
    static final java.lang.invoke.VarHandle FLOAT_LE = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            float[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private Proto() {}

    /** Reads fields from {@code buf[start, end)}. */
    public static final class Reader {
        final byte[] buf;
        int pos;
        final int end;

        public Reader(byte[] buf, int start, int end) {
            this.buf = buf;
            this.pos = start;
            this.end = end;
        }

        public boolean more() {
            return pos < end;
        }

        /** The next tag (field number << 3 | wire type). */
        public int tag() {
            long t = varint();
            if (t <= 0 || t > Integer.MAX_VALUE) {
                throw new ProtoException("invalid field tag " + t + " at byte " + pos);
            }
            return (int) t;
        }

        public long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new ProtoException("truncated varint");
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new ProtoException("varint longer than 10 bytes");
        }

        public int fixed32() {
            need(4);
            int v = TfRecordReader.littleInt(buf, pos);
            pos += 4;
            return v;
        }

        public long fixed64() {
            need(8);
            long v = TfRecordReader.littleLong(buf, pos);
            pos += 8;
            return v;
        }

        /** The length of a length-delimited field; the caller reads {@code [pos, pos + len)}. */
        public int length() {
            long len = varint();
            if (len < 0 || len > end - pos) {
                throw new ProtoException("length " + len + " runs past the end of the message (" + (end - pos) + " bytes left)");
            }
            return (int) len;
        }

        public Reader sub() {
            int len = length();
            Reader r = new Reader(buf, pos, pos + len);
            pos += len;
            return r;
        }

        public byte[] bytes() {
            int len = length();
            byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return b;
        }

        public String string() {
            int len = length();
            String s = new String(buf, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        public void skip(int wireType) {
            switch (wireType) {
                case VARINT -> varint();
                case FIXED64 -> {
                    need(8);
                    pos += 8;
                }
                case LENGTH_DELIMITED -> {
                    int len = length(); // not "pos += length()": Java reads pos before the call advances it
                    pos += len;
                }
                case FIXED32 -> {
                    need(4);
                    pos += 4;
                }
                default -> throw new ProtoException("unsupported wire type " + wireType);
            }
        }

        private void need(int n) {
            if (end - pos < n) {
                throw new ProtoException("truncated fixed-width field");
            }
        }
    }

    /** Appends fields to a growing buffer. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Writer varint(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        public Writer tag(int field, int wireType) {
            return varint((long) field << 3 | wireType);
        }

        public Writer bytes(int field, byte[] b) {
            tag(field, LENGTH_DELIMITED).varint(b.length);
            out.writeBytes(b);
            return this;
        }

        public Writer string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        public Writer fixed32(int v) {
            for (int i = 0; i < 4; i++) {
                out.write(v >>> (8 * i));
            }
            return this;
        }

        public Writer fixed64(long v) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
