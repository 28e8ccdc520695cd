package vidkit.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vidkit.data.CorruptFileException;

/**
 * The parts of a TensorFlow Lite model file ({@code .tflite}: a FlatBuffer with file identifier
 * {@code TFL3}) that vidkit reads to rebuild a network in its own engine: the first subgraph's
 * tensors (name, shape, type, constant data, quantization) and operators (builtin code, inputs,
 * outputs, and the padding, strides and fused activation of convolutions). Every offset is
 * bounds-checked: a damaged file is a {@link CorruptFileException}, never an arbitrary exception.
 */
final class TfLiteModel {
    /** TensorType values. */
    static final int FLOAT32 = 0;
    static final int INT32 = 2;
    static final int INT8 = 9;
    /** BuiltinOperator values used here. */
    static final int CONV_2D = 3;
    static final int DEPTHWISE_CONV_2D = 4;
    static final int DEQUANTIZE = 6;
    static final int FULLY_CONNECTED = 9;
    static final int LOGISTIC = 14;
    static final int MEAN = 40;
    /** Padding values. */
    static final int SAME = 0;
    /** ActivationFunctionType values. */
    static final int NONE = 0;
    static final int RELU = 1;
    static final int RELU6 = 3;

    record Tensor(int index, String name, int[] shape, int type, byte[] data, float[] scales, long[] zeroPoints,
            int quantizedDimension) {
        int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    record Operator(int code, int[] inputs, int[] outputs, int padding, int strideW, int strideH, int activation) {}

    final List<Tensor> tensors = new ArrayList<>();
    final List<Operator> operators = new ArrayList<>();
    private final ByteBuffer b;
    private final Path file;

    private TfLiteModel(byte[] bytes, Path file) throws CorruptFileException {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.file = file;
        if (bytes.length < 8 || !new String(bytes, 4, 4, StandardCharsets.US_ASCII).equals("TFL3")) {
            throw new CorruptFileException(file, "is not a TensorFlow Lite model (no TFL3 identifier)");
        }
    }

    static TfLiteModel parse(byte[] bytes, Path file) throws CorruptFileException {
        TfLiteModel m = new TfLiteModel(bytes, file);
        try {
            m.read();
        } catch (IndexOutOfBoundsException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new CorruptFileException(file, "is damaged: " + e);
        }
        return m;
    }

    private void read() throws CorruptFileException {
        int root = ref(0);
        List<Integer> codes = new ArrayList<>();
        for (int c : tables(root, 1)) {
            int deprecated = scalarByte(c, 0);
            int builtin = scalarInt(c, 3);
            codes.add(Math.max(deprecated, builtin));
        }
        List<Integer> subgraphs = tables(root, 2);
        if (subgraphs.isEmpty()) {
            throw new CorruptFileException(file, "has no subgraph");
        }
        List<Integer> buffers = tables(root, 4);
        int g = subgraphs.get(0);
        List<Integer> ts = tables(g, 0);
        for (int i = 0; i < ts.size(); i++) {
            int t = ts.get(i);
            int buffer = scalarInt(t, 2);
            byte[] data = new byte[0];
            if (buffer > 0 && buffer < buffers.size()) {
                int[] v = vector(buffers.get(buffer), 0);
                if (v != null) {
                    data = new byte[v[1]];
                    b.get(v[0], data);
                }
            }
            float[] scales = new float[0];
            long[] zeros = new long[0];
            int qdim = 0;
            int q = field(t, 4);
            if (q != 0) {
                int qt = q + b.getInt(q);
                int[] s = vector(qt, 2);
                if (s != null) {
                    scales = new float[s[1]];
                    for (int k = 0; k < s[1]; k++) {
                        scales[k] = b.getFloat(s[0] + 4 * k);
                    }
                }
                int[] z = vector(qt, 3);
                if (z != null) {
                    zeros = new long[z[1]];
                    for (int k = 0; k < z[1]; k++) {
                        zeros[k] = b.getLong(z[0] + 8 * k);
                    }
                }
                qdim = scalarInt(qt, 6);
            }
            tensors.add(new Tensor(i, string(t, 3), ints(t, 0), scalarByte(t, 1), data, scales, zeros, qdim));
        }
        for (int o : tables(g, 3)) {
            int opcode = scalarInt(o, 0);
            if (opcode < 0 || opcode >= codes.size()) {
                throw new CorruptFileException(file, "names operator code " + opcode + " of " + codes.size());
            }
            int code = codes.get(opcode);
            int padding = 0;
            int sw = 1;
            int sh = 1;
            int act = NONE;
            int opt = field(o, 4);
            if (opt != 0) {
                int options = opt + b.getInt(opt);
                if (code == CONV_2D) {
                    padding = scalarByte(options, 0);
                    sw = scalarInt(options, 1);
                    sh = scalarInt(options, 2);
                    act = scalarByte(options, 3);
                } else if (code == DEPTHWISE_CONV_2D) {
                    padding = scalarByte(options, 0);
                    sw = scalarInt(options, 1);
                    sh = scalarInt(options, 2);
                    act = scalarByte(options, 4);
                } else if (code == FULLY_CONNECTED) {
                    act = scalarByte(options, 0);
                }
            }
            operators.add(new Operator(code, ints(o, 1), ints(o, 2), padding, sw, sh, act));
        }
    }

    // ---- FlatBuffer access: a table starts with an int32 offset back to its vtable ------------------

    private int ref(int at) {
        return at + b.getInt(at);
    }

    /** Absolute position of field {@code i} of the table at {@code table}, or 0 when absent. */
    private int field(int table, int i) {
        int vt = table - b.getInt(table);
        int size = Short.toUnsignedInt(b.getShort(vt));
        if (4 + 2 * i >= size) {
            return 0;
        }
        int off = Short.toUnsignedInt(b.getShort(vt + 4 + 2 * i));
        return off == 0 ? 0 : table + off;
    }

    /** {start, length} of the vector in field {@code i}, or null. */
    private int[] vector(int table, int i) {
        int f = field(table, i);
        if (f == 0) {
            return null;
        }
        int v = ref(f);
        int n = b.getInt(v);
        if (n < 0 || v + 4L + n > b.capacity()) {
            throw new IllegalArgumentException("vector of " + n + " elements runs past the end");
        }
        return new int[] {v + 4, n};
    }

    private List<Integer> tables(int table, int i) {
        int[] v = vector(table, i);
        List<Integer> out = new ArrayList<>();
        if (v != null) {
            for (int k = 0; k < v[1]; k++) {
                out.add(ref(v[0] + 4 * k));
            }
        }
        return out;
    }

    private int[] ints(int table, int i) {
        int[] v = vector(table, i);
        if (v == null) {
            return new int[0];
        }
        int[] out = new int[v[1]];
        for (int k = 0; k < v[1]; k++) {
            out[k] = b.getInt(v[0] + 4 * k);
        }
        return out;
    }

    private String string(int table, int i) {
        int[] v = vector(table, i);
        return v == null ? "" : new String(b.array(), v[0], v[1], StandardCharsets.UTF_8);
    }

    private int scalarInt(int table, int i) {
        int f = field(table, i);
        return f == 0 ? 0 : b.getInt(f);
    }

    private int scalarByte(int table, int i) {
        int f = field(table, i);
        return f == 0 ? 0 : b.get(f);
    }

    // ---- constants --------------------------------------------------------------------------------

    /** A constant tensor's values as floats: float32 as stored, int8 dequantized ({@code scale · (q − zero)}, per channel along its quantized dimension when it has several scales). */
    float[] floats(int index) throws CorruptFileException {
        Tensor t = tensors.get(index);
        int n = t.size();
        float[] out = new float[n];
        ByteBuffer d = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        if (t.type() == FLOAT32 && t.data().length == 4L * n) {
            d.asFloatBuffer().get(out);
            return out;
        }
        if (t.type() == INT8 && t.data().length == n && t.scales().length > 0) {
            int channels = t.scales().length;
            int inner = 1;
            for (int k = t.quantizedDimension() + 1; k < t.shape().length; k++) {
                inner *= t.shape()[k];
            }
            for (int k = 0; k < n; k++) {
                int c = channels == 1 ? 0 : (k / inner) % channels;
                long zero = t.zeroPoints().length > c ? t.zeroPoints()[c] : 0;
                out[k] = t.scales()[c] * (t.data()[k] - zero);
            }
            return out;
        }
        throw new CorruptFileException(file, "tensor " + t.name() + " (type " + t.type() + ", " + t.data().length
                + " bytes for " + n + " values) is not a constant vidkit can read");
    }

    int[] int32s(int index) throws CorruptFileException {
        Tensor t = tensors.get(index);
        if (t.type() != INT32 || t.data().length != 4L * t.size()) {
            throw new CorruptFileException(file, "tensor " + t.name() + " is not an int32 constant");
        }
        int[] out = new int[t.size()];
        ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }
}
