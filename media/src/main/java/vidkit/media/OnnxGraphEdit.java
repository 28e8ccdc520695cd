package vidkit.media;

import java.util.ArrayList;
import java.util.List;
import vidkit.data.Proto;

/**
 * Edits a serialized ONNX {@code ModelProto} without a protobuf library: exposes a quantized
 * intermediate tensor as a float graph output by adding one {@code DequantizeLinear} node. The edit
 * is a second, small {@code ModelProto} appended to the bytes: by the protocol-buffer rules a
 * message field seen twice ({@code graph}) is merged and its repeated fields ({@code node},
 * {@code output}) are appended, so the result is the original model plus the node and the output.
 */
public final class OnnxGraphEdit {
    // field numbers of onnx.proto3
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;
    private static final int FLOAT = 1;

    private OnnxGraphEdit() {}

    /** A node of the graph: its operator, inputs and outputs. */
    public record Node(String opType, List<String> inputs, List<String> outputs) {}

    /** The graph's nodes, in order. */
    public static List<Node> nodes(byte[] model) {
        Proto.Reader m = new Proto.Reader(model, 0, model.length);
        List<Node> nodes = new ArrayList<>();
        while (m.more()) {
            int tag = m.tag();
            if (tag >>> 3 != MODEL_GRAPH || (tag & 7) != Proto.LENGTH_DELIMITED) {
                m.skip(tag & 7);
                continue;
            }
            Proto.Reader g = m.sub();
            while (g.more()) {
                int t = g.tag();
                if (t >>> 3 != GRAPH_NODE || (t & 7) != Proto.LENGTH_DELIMITED) {
                    g.skip(t & 7);
                    continue;
                }
                Proto.Reader n = g.sub();
                String op = "";
                List<String> in = new ArrayList<>();
                List<String> out = new ArrayList<>();
                while (n.more()) {
                    int f = n.tag();
                    switch (f >>> 3) {
                        case NODE_INPUT -> in.add(n.string());
                        case NODE_OUTPUT -> out.add(n.string());
                        case NODE_OP_TYPE -> op = n.string();
                        default -> n.skip(f & 7);
                    }
                }
                nodes.add(new Node(op, in, out));
            }
        }
        return nodes;
    }

    /**
     * {@code model} with a new float output {@code outputName} of shape {@code [batch, width]}: the
     * dequantized {@code quantized} tensor, with the scale and zero point that the first quantized
     * operator reading it ({@code QLinear*}) uses for that input.
     *
     * @throws IllegalArgumentException when no {@code QLinear} node reads {@code quantized}
     */
    public static byte[] exposeDequantized(byte[] model, String quantized, String outputName, int width) {
        Node reader = null;
        for (Node n : nodes(model)) {
            if (n.opType().startsWith("QLinear") && !n.inputs().isEmpty() && n.inputs().get(0).equals(quantized)) {
                reader = n;
                break;
            }
        }
        if (reader == null || reader.inputs().size() < 3) {
            throw new IllegalArgumentException("no quantized operator reads " + quantized + ": cannot tell its scale");
        }
        Proto.Writer node = new Proto.Writer().string(NODE_INPUT, quantized).string(NODE_INPUT, reader.inputs().get(1))
                .string(NODE_INPUT, reader.inputs().get(2)).string(NODE_OUTPUT, outputName)
                .string(NODE_NAME, "vidkit_expose_" + outputName).string(NODE_OP_TYPE, "DequantizeLinear");
        byte[] shape = new Proto.Writer().bytes(SHAPE_DIM, new Proto.Writer().string(DIM_PARAM, "batch_size").toByteArray())
                .bytes(SHAPE_DIM, new Proto.Writer().tag(DIM_VALUE, Proto.VARINT).varint(width).toByteArray()).toByteArray();
        byte[] tensor = new Proto.Writer().tag(TENSOR_ELEM_TYPE, Proto.VARINT).varint(FLOAT).bytes(TENSOR_SHAPE, shape)
                .toByteArray();
        byte[] value = new Proto.Writer().string(VALUE_NAME, outputName)
                .bytes(VALUE_TYPE, new Proto.Writer().bytes(TYPE_TENSOR, tensor).toByteArray()).toByteArray();
        byte[] graph = new Proto.Writer().bytes(GRAPH_NODE, node.toByteArray()).bytes(GRAPH_OUTPUT, value).toByteArray();
        byte[] edit = new Proto.Writer().bytes(MODEL_GRAPH, graph).toByteArray();
        byte[] out = java.util.Arrays.copyOf(model, model.length + edit.length);
        System.arraycopy(edit, 0, out, model.length, edit.length);
        return out;
    }
}
