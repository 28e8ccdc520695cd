package vidkit.media;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import vidkit.data.InvalidDataException;

/**
 * An image model on ONNX Runtime that turns {@value #SIZE}×{@value #SIZE} RGB frames into feature
 * vectors: {@code [frames, 224, 224, 3]} bytes in, {@code [frames, dimension]} floats out (and
 * class logits where the model has them). The default is MobileNetV2 (ImageNet, int8, the ONNX
 * model zoo's file, Apache-2.0, read from the models directory: {@link ModelFiles}): its 1280-d
 * pooled feature, exposed by a load-time graph edit ({@link OnnxGraphEdit}; the file is unchanged), and
 * its 1,000 ImageNet logits. A user's own model takes a {@code [N, 3, 224, 224]} float input and
 * names the output to use.
 */
public final class ImageModel implements AutoCloseable {
    /** Side of the square input frame. */
    public static final int SIZE = 224;
    /** Frames per model call. */
    static final int BATCH = 16;
    /** The file's name in the models directory. */
    public static final String MOBILENET = "mobilenetv2-12-int8.onnx";
    /** SHA-256 of the bundled MobileNetV2 file. */
    public static final String MOBILENET_SHA256 = "83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f";
    private static final String MOBILENET_FEATURE = "vidkit_pooled_1280";

    /** How frames become the model's input tensor. */
    public enum Preprocessing {
        /** RGB / 255, then ImageNet's per-channel mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225) */
        IMAGENET,
        /** RGB / 255 */
        UNIT;

        public static Preprocessing of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown preprocessing '" + name + "'; known: imagenet, unit");
            }
        }
    }

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final String name;
    private final String sha256;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String input;
    private final String featureOutput;
    private final String logitsOutput;
    private final int dimension;
    private final Preprocessing preprocessing;

    private ImageModel(String name, String sha256, byte[] model, String featureOutput, String logitsOutput,
            Preprocessing preprocessing, int threads) throws OrtException {
        this.name = name;
        this.sha256 = sha256;
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.session = environment.createSession(model, options);
        }
        this.input = session.getInputNames().iterator().next();
        this.featureOutput = featureOutput == null ? session.getOutputNames().iterator().next() : featureOutput;
        if (!session.getOutputNames().contains(this.featureOutput)) {
            session.close();
            throw new IllegalArgumentException(name + " has no output '" + featureOutput + "' (it has "
                    + session.getOutputNames() + ")");
        }
        this.logitsOutput = logitsOutput;
        long[] shape = ((TensorInfo) session.getOutputInfo().get(this.featureOutput).getInfo()).getShape();
        this.dimension = (int) shape[shape.length - 1];
        this.preprocessing = preprocessing;
    }

    /** MobileNetV2 from the default models directory ({@link ModelFiles}): 1280-d pooled features and ImageNet logits. */
    public static ImageModel mobileNetV2(int threads) throws IOException {
        return mobileNetV2(ModelFiles.defaultDir(), threads);
    }

    /** MobileNetV2 from {@code modelsDir} (checked against {@link #MOBILENET_SHA256}). */
    public static ImageModel mobileNetV2(Path modelsDir, int threads) throws IOException {
        byte[] bytes = ModelFiles.read(modelsDir, MOBILENET, MOBILENET_SHA256);
        byte[] edited = OnnxGraphEdit.exposeDequantized(bytes, "472_quantized", MOBILENET_FEATURE, 1280);
        try {
            return new ImageModel("mobilenetv2-12-int8", MOBILENET_SHA256, edited, MOBILENET_FEATURE, "output",
                    Preprocessing.IMAGENET, threads);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot open MobileNetV2: " + e.getMessage(), e);
        }
    }

    /** A user's ONNX model: {@code output} names the feature output ({@code null}: its first output). */
    public static ImageModel of(Path onnx, String output, Preprocessing preprocessing, int threads) throws IOException {
        byte[] bytes = Files.readAllBytes(onnx);
        try {
            return new ImageModel(onnx.getFileName().toString(), ModelFiles.sha256(bytes), bytes, output, null, preprocessing, threads);
        } catch (OrtException e) {
            throw new InvalidDataException(onnx, "is not an ONNX model ONNX Runtime can run: " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    /** SHA-256 of the model file as shipped (before any load-time edit). */
    public String sha256() {
        return sha256;
    }

    public int dimension() {
        return dimension;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Features {@code [n, dimension]} and, where the model has them, logits {@code [n, classes]} (else null). */
    public record Output(float[] features, float[] logits) {}

    /** {@code frames}: {@code n} arrays of {@code 224 × 224 × 3} RGB bytes, row-major. */
    public Output run(byte[][] frames) {
        int n = frames.length;
        float[] features = new float[n * dimension];
        float[] logits = null;
        int classes = 0;
        for (int from = 0; from < n; from += BATCH) {
            int b = Math.min(BATCH, n - from);
            float[] x = new float[b * 3 * SIZE * SIZE];
            for (int i = 0; i < b; i++) {
                fill(frames[from + i], x, i * 3 * SIZE * SIZE);
            }
            try (OnnxTensor t = OnnxTensor.createTensor(environment, FloatBuffer.wrap(x), new long[] {b, 3, SIZE, SIZE});
                    OrtSession.Result r = session.run(Map.of(input, t), logitsOutput == null ? Set.of(featureOutput)
                            : Set.of(featureOutput, logitsOutput))) {
                float[] f = floats((OnnxTensor) r.get(featureOutput).orElseThrow());
                if (f.length != b * dimension) {
                    throw new IllegalStateException(name + " gave " + f.length + " feature values for " + b + " frames");
                }
                System.arraycopy(f, 0, features, from * dimension, f.length);
                if (logitsOutput != null) {
                    float[] l = floats((OnnxTensor) r.get(logitsOutput).orElseThrow());
                    if (logits == null) {
                        classes = l.length / b;
                        logits = new float[n * classes];
                    }
                    System.arraycopy(l, 0, logits, from * classes, l.length);
                }
            } catch (OrtException e) {
                throw new IllegalStateException(name + " failed on " + b + " frames: " + e.getMessage(), e);
            }
        }
        return new Output(features, logits);
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer fb = t.getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    /** One frame's bytes ({@code [224, 224, 3]} RGB) into {@code x} at {@code at} as {@code [3, 224, 224]}. */
    private void fill(byte[] rgb, float[] x, int at) {
        if (rgb.length != SIZE * SIZE * 3) {
            throw new IllegalArgumentException("a frame must have " + SIZE * SIZE * 3 + " bytes, got " + rgb.length);
        }
        int plane = SIZE * SIZE;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                float v = (rgb[p * 3 + c] & 0xff) / 255f;
                x[at + c * plane + p] = preprocessing == Preprocessing.IMAGENET ? (v - MEAN[c]) / STD[c] : v;
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
