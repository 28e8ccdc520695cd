package vidkit.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code tf.train.Feature}: one of a bytes list, a float list or an int64 list. Decoding accepts
 * packed and unpacked repeated numbers (both are valid protobuf); encoding writes packed lists, as
 * TensorFlow does.
 */
public sealed interface TfFeature {
    /** {@code bytes_list} (field 1). */
    record Bytes(List<byte[]> values) implements TfFeature {
        public Bytes {
            values = List.copyOf(values);
        }
    }

    /** {@code float_list} (field 2). */
    record Floats(float[] values) implements TfFeature {
        @Override
        public boolean equals(Object o) {
            return o instanceof Floats f && Arrays.equals(values, f.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /** {@code int64_list} (field 3). */
    record Int64s(long[] values) implements TfFeature {
        @Override
        public boolean equals(Object o) {
            return o instanceof Int64s f && Arrays.equals(values, f.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /** The kind's protobuf name, for error messages. */
    default String kind() {
        return switch (this) {
            case Bytes b -> "bytes_list";
            case Floats f -> "float_list";
            case Int64s i -> "int64_list";
        };
    }

    static TfFeature decode(Proto.Reader r) {
        TfFeature result = null;
        while (r.more()) {
            int tag = r.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (wire != Proto.LENGTH_DELIMITED || field < 1 || field > 3) {
                r.skip(wire);
                continue;
            }
            Proto.Reader list = r.sub();
            result = switch (field) {
                case 1 -> decodeBytes(list);
                case 2 -> decodeFloats(list);
                default -> decodeInt64s(list);
            };
        }
        return result == null ? new Bytes(List.of()) : result;
    }

    private static Bytes decodeBytes(Proto.Reader r) {
        List<byte[]> values = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            if (tag == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                values.add(r.bytes());
            } else {
                r.skip(tag & 7);
            }
        }
        return new Bytes(values);
    }

    private static Floats decodeFloats(Proto.Reader r) {
        float[] values = null;
        int n = 0;
        while (r.more()) {
            int tag = r.tag();
            if (tag == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                int len = r.length();
                if (len % 4 != 0) {
                    throw new ProtoException("packed float list of " + len + " bytes is not a multiple of 4");
                }
                // the usual case, one packed run, allocates exactly once
                values = values == null ? new float[len / 4] : grow(values, n + len / 4);
                // one bulk little-endian copy (a memcpy on little-endian machines)
                java.nio.ByteBuffer.wrap(r.buf, r.pos, len).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .get(values, n, len / 4);
                n += len / 4;
                r.pos += len;
            } else if (tag == (1 << 3 | Proto.FIXED32)) {
                values = values == null ? new float[16] : grow(values, n + 1);
                values[n++] = Float.intBitsToFloat(r.fixed32());
            } else {
                r.skip(tag & 7);
            }
        }
        if (values == null) {
            return new Floats(new float[0]);
        }
        return new Floats(n == values.length ? values : Arrays.copyOf(values, n));
    }

    private static Int64s decodeInt64s(Proto.Reader r) {
        long[] values = new long[8];
        int n = 0;
        while (r.more()) {
            int tag = r.tag();
            if (tag == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                int len = r.length();
                int end = r.pos + len;
                Proto.Reader packed = new Proto.Reader(r.buf, r.pos, end);
                while (packed.more()) {
                    if (n == values.length) {
                        values = Arrays.copyOf(values, 2 * n);
                    }
                    values[n++] = packed.varint();
                }
                r.pos = end;
            } else if (tag == (1 << 3 | Proto.VARINT)) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                }
                values[n++] = r.varint();
            } else {
                r.skip(tag & 7);
            }
        }
        return new Int64s(Arrays.copyOf(values, n));
    }

    private static float[] grow(float[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, 2 * a.length));
    }

    default byte[] encode() {
        Proto.Writer list = new Proto.Writer();
        int field;
        switch (this) {
            case Bytes b -> {
                field = 1;
                for (byte[] v : b.values()) {
                    list.bytes(1, v);
                }
            }
            case Floats f -> {
                field = 2;
                if (f.values().length > 0) {
                    list.tag(1, Proto.LENGTH_DELIMITED).varint(4L * f.values().length);
                    for (float v : f.values()) {
                        list.fixed32(Float.floatToRawIntBits(v));
                    }
                }
            }
            case Int64s i -> {
                field = 3;
                if (i.values().length > 0) {
                    Proto.Writer packed = new Proto.Writer();
                    for (long v : i.values()) {
                        packed.varint(v);
                    }
                    list.bytes(1, packed.toByteArray());
                }
            }
        }
        return new Proto.Writer().bytes(field, list.toByteArray()).toByteArray();
    }
}
