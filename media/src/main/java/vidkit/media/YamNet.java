package vidkit.media;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vidkit.data.CorruptFileException;
import vidkit.data.Csv;

/**
 * YAMNet (AudioSet's 521 classes; MobileNetV1 over log-mel patches; weights Apache-2.0 from
 * tensorflow/models), rebuilt on vidkit's engine (DJL / PyTorch) from the weights of the
 * TensorFlow Lite file in the models directory ({@link ModelFiles}): the graph's own front end (its
 * window, frame layout, DFT and mel matrices: 96 frames of 25 ms every 10 ms, 512-point magnitude
 * spectrum, 64 mel bands, {@code log(mel + 0.001)}) and its 14 convolution layers read operator by
 * operator (strides, SAME padding, fused ReLU; int8 weights dequantized with their scales), global
 * average pooling to the 1024-d embedding and the 521-way logistic classifier. The file's
 * activations are float (only weights are quantized), so running it in float32 with dequantized
 * weights is what the TFLite interpreter computes, up to its dynamic input quantization in the
 * fully connected layers.
 *
 * <p>vidkit's audio feature for one second {@code s} is YAMNet on the 0.975 s patch starting at
 * {@code s}: the embedding {@code [1024]} and the class scores {@code [521]}.
 */
public final class YamNet implements AudioModel, AutoCloseable {
    /** SHA-256 of the bundled {@code yamnet.tflite}. */
    public static final String SHA256 = "469be6a3421cbc52cf97e9f2f966cba984198e8e7af9854d68b3e3ebb1e04194";
    public static final int PATCH_SAMPLES = 15_600;
    public static final int EMBEDDING = 1024;
    public static final int CLASSES = 521;
    static final int FRAMES = 96;
    static final int BANDS = 64;
    static final int FFT = 512;
    static final int WINDOW = 400;

    private record Layer(NDArray weight, NDArray bias, int stride, boolean depthwise, int activation) {}

    private final NDManager manager;
    private final float[] window;
    /** Frame {@code k} is rows {@code frameRows[k][0..4]} of the patch cut into rows of 80 samples. */
    private final int[][] frameRows;
    private final int rowSamples;
    private final NDArray dftReal; // [512, 257]
    private final NDArray dftImaginary; // [512, 257]
    private final NDArray mel; // [257, 64]
    private final NDArray melBias; // [64]
    private final List<Layer> layers = new ArrayList<>();
    private final NDArray dense; // [1024, 521]
    private final NDArray denseBias; // [521]
    private static List<String> classNames;

    private YamNet(TfLiteModel m, Path file) throws CorruptFileException {
        manager = NDManager.newBaseManager();
        try {
            List<TfLiteModel.Operator> ops = m.operators;
            // front end: the constants of the graph's Gather, Mul and three FullyConnected ops before the first conv
            int firstConv = -1;
            List<TfLiteModel.Operator> fc = new ArrayList<>();
            int[] gather = null;
            int[] gatherShape = null;
            float[] win = null;
            for (int i = 0; i < ops.size() && firstConv < 0; i++) {
                TfLiteModel.Operator op = ops.get(i);
                switch (op.code()) {
                    case TfLiteModel.CONV_2D -> firstConv = i;
                    case TfLiteModel.FULLY_CONNECTED -> fc.add(op);
                    case 36 -> { // GATHER: the first one cuts the frames
                        if (gather == null) {
                            gather = m.int32s(op.inputs()[1]);
                            gatherShape = m.tensors.get(op.inputs()[1]).shape();
                        }
                    }
                    case 18 -> { // MUL with a [1, 400] constant: the window
                        for (int in : op.inputs()) {
                            if (m.tensors.get(in).data().length == 4 * WINDOW) {
                                win = m.floats(in);
                            }
                        }
                    }
                    default -> { }
                }
            }
            if (firstConv < 0 || fc.size() != 3 || gather == null || win == null || gatherShape.length != 2
                    || gatherShape[0] != FRAMES) {
                throw new CorruptFileException(file, "is not the YAMNet graph vidkit knows (front end not found)");
            }
            window = win;
            frameRows = new int[FRAMES][gatherShape[1]];
            for (int k = 0; k < FRAMES; k++) {
                for (int j = 0; j < gatherShape[1]; j++) {
                    frameRows[k][j] = gather[k * gatherShape[1] + j];
                }
            }
            rowSamples = WINDOW / gatherShape[1];
            dftReal = matrix(m, fc.get(0).inputs()[1], 257, FFT).transpose();
            dftImaginary = matrix(m, fc.get(1).inputs()[1], 257, FFT).transpose();
            mel = matrix(m, fc.get(2).inputs()[1], BANDS, 257).transpose();
            melBias = manager.create(m.floats(fc.get(2).inputs()[2]));
            // the network: convolutions in order, weights through DEQUANTIZE ops where quantized
            Map<Integer, Integer> dequantized = new HashMap<>();
            int mean = -1;
            for (int i = firstConv; i < ops.size(); i++) {
                TfLiteModel.Operator op = ops.get(i);
                if (op.code() == TfLiteModel.DEQUANTIZE) {
                    dequantized.put(op.outputs()[0], op.inputs()[0]);
                } else if (op.code() == TfLiteModel.CONV_2D || op.code() == TfLiteModel.DEPTHWISE_CONV_2D) {
                    if (op.padding() != TfLiteModel.SAME || op.strideW() != op.strideH()) {
                        throw new CorruptFileException(file, "operator " + i + " is not a square SAME convolution");
                    }
                    int w = dequantized.getOrDefault(op.inputs()[1], op.inputs()[1]);
                    int[] s = m.tensors.get(w).shape(); // TFLite [out, kh, kw, in] or depthwise [1, kh, kw, channels]
                    NDArray weight = manager.create(m.floats(w), new Shape(s[0], s[1], s[2], s[3]));
                    boolean depthwise = op.code() == TfLiteModel.DEPTHWISE_CONV_2D;
                    // PyTorch: [out, in/groups, kh, kw]; depthwise: [channels, 1, kh, kw]
                    weight = depthwise ? weight.transpose(3, 0, 1, 2) : weight.transpose(0, 3, 1, 2);
                    layers.add(new Layer(weight, manager.create(m.floats(op.inputs()[2])), op.strideW(), depthwise,
                            op.activation()));
                } else if (op.code() == TfLiteModel.MEAN) {
                    mean = i;
                    break;
                }
            }
            if (layers.size() != 27 || mean < 0 || mean + 2 >= ops.size()
                    || ops.get(mean + 1).code() != TfLiteModel.FULLY_CONNECTED) {
                throw new CorruptFileException(file, "is not the YAMNet graph vidkit knows (" + layers.size()
                        + " convolutions)");
            }
            TfLiteModel.Operator head = ops.get(mean + 1);
            dense = matrix(m, head.inputs()[1], CLASSES, EMBEDDING).transpose();
            denseBias = manager.create(m.floats(head.inputs()[2]));
        } catch (CorruptFileException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private NDArray matrix(TfLiteModel m, int tensor, int rows, int cols) throws CorruptFileException {
        int[] s = m.tensors.get(tensor).shape();
        if (s.length != 2 || s[0] != rows || s[1] != cols) {
            throw new CorruptFileException(Path.of("yamnet.tflite"), "tensor " + m.tensors.get(tensor).name()
                    + " has shape " + java.util.Arrays.toString(s) + "; expected [" + rows + ", " + cols + "]");
        }
        return manager.create(m.floats(tensor), new Shape(rows, cols));
    }

    /** The file's name in the models directory. */
    public static final String FILE = "yamnet.tflite";

    /** YAMNet from the default models directory ({@link ModelFiles}). */
    public static YamNet load() throws IOException {
        return load(ModelFiles.defaultDir());
    }

    /** YAMNet from {@code modelsDir} (checked against {@link #SHA256}). */
    public static YamNet load(Path modelsDir) throws IOException {
        Path file = modelsDir.resolve(FILE);
        return new YamNet(TfLiteModel.parse(ModelFiles.read(modelsDir, FILE, SHA256), file), file);
    }

    /** AudioSet's display names of the 521 classes, in the model's order ({@code yamnet_class_map.csv}). */
    public static synchronized List<String> classNames() {
        if (classNames == null) {
            try (InputStream in = YamNet.class.getResourceAsStream("yamnet_class_map.csv")) {
                List<List<String>> rows = Csv.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        Path.of("yamnet_class_map.csv"));
                List<String> names = new ArrayList<>();
                for (List<String> r : rows.subList(1, rows.size())) {
                    names.add(r.get(2));
                }
                classNames = List.copyOf(names);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read yamnet_class_map.csv: " + e.getMessage(), e);
            }
        }
        return classNames;
    }

    @Override
    public String name() {
        return "yamnet";
    }

    @Override
    public String sha256() {
        return SHA256;
    }

    @Override
    public int dimension() {
        return EMBEDDING;
    }

    @Override
    public float[] features(float[] audio, int seconds) {
        return run(audio, seconds).embeddings();
    }

    /** Per second: embeddings {@code [seconds, 1024]}, class probabilities {@code [seconds, 521]}, log-mel patches {@code [seconds, 96, 64]}. */
    public record Output(float[] embeddings, float[] scores, float[] logMel) {}

    /** {@code audio}: at least {@code (seconds − 1) · 16000 + 15600} samples of 16 kHz mono in [-1, 1]. */
    public Output run(float[] audio, int seconds) {
        int rate = MediaDecoder.SAMPLE_RATE;
        if (seconds < 1 || audio.length < (long) (seconds - 1) * rate + PATCH_SAMPLES) {
            throw new IllegalArgumentException(seconds + " patches need " + ((long) (seconds - 1) * rate + PATCH_SAMPLES)
                    + " samples, got " + audio.length);
        }
        float[] frames = new float[seconds * FRAMES * FFT];
        for (int s = 0; s < seconds; s++) {
            int start = s * rate;
            for (int k = 0; k < FRAMES; k++) {
                int at = (s * FRAMES + k) * FFT;
                for (int j = 0; j < frameRows[k].length; j++) {
                    int src = start + frameRows[k][j] * rowSamples;
                    for (int x = 0; x < rowSamples; x++) {
                        int n = j * rowSamples + x;
                        frames[at + n] = audio[src + x] * window[n];
                    }
                }
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray f = m.create(frames, new Shape((long) seconds * FRAMES, FFT));
            NDArray re = f.matMul(dftReal);
            NDArray im = f.matMul(dftImaginary);
            NDArray magnitude = re.mul(re).add(im.mul(im)).sqrt();
            NDArray logMel = magnitude.matMul(mel).add(melBias).log(); // [S·96, 64]
            NDArray x = logMel.reshape(seconds, 1, FRAMES, BANDS);
            for (Layer l : layers) {
                x = convolve(x, l);
            }
            NDArray embedding = x.mean(new int[] {3}).mean(new int[] {2}); // [S, 1024]
            NDArray scores = embedding.matMul(dense).add(denseBias);
            scores = scores.neg().exp().add(1).pow(-1); // logistic
            return new Output(embedding.toFloatArray(), scores.toFloatArray(), logMel.toFloatArray());
        }
    }

    /** TensorFlow's SAME padding (the extra pixel after), then the convolution and the fused activation. */
    private static NDArray convolve(NDArray x, Layer l) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long k = l.weight().getShape().get(2);
        long padH = Math.max((ceilDiv(h, l.stride()) - 1) * l.stride() + k - h, 0);
        long padW = Math.max((ceilDiv(w, l.stride()) - 1) * l.stride() + k - w, 0);
        NDArray padded = x.pad(new Shape(padW / 2, padW - padW / 2, padH / 2, padH - padH / 2), 0);
        int groups = l.depthwise() ? (int) x.getShape().get(1) : 1;
        NDArray y = x.getNDArrayInternal().convolution(padded, l.weight(), l.bias(), new Shape(l.stride(), l.stride()),
                new Shape(0, 0), new Shape(1, 1), groups).singletonOrThrow();
        return switch (l.activation()) {
            case TfLiteModel.RELU -> y.getNDArrayInternal().relu();
            case TfLiteModel.RELU6 -> y.clip(0, 6);
            default -> y;
        };
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        manager.close();
    }
}
