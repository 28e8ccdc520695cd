package vidkit.media;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Google's speech_embedding as packaged by openWakeWord (Apache-2.0; the two files of the models
 * directory's {@code openwakeword/}, see {@link ModelFiles}), on ONNX Runtime: the mel model turns 16
 * kHz audio (at int16 scale) into 32 mel bands (~97 frames a second), transformed as openWakeWord
 * does ({@code x / 10 + 2}); the embedding model turns every window of 76 frames, 8 frames apart,
 * into a 96-d vector. vidkit's feature of a second is the mean of the embeddings of the windows
 * inside it. Tuned for speech (keyword spotting); weak on music and other sounds.
 */
public final class SpeechEmbedding implements AudioModel, AutoCloseable {
    public static final int DIMENSION = 96;
    static final int WINDOW = 76;
    static final int STEP = 8;
    static final int BANDS = 32;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession mel;
    private final OrtSession embedding;

    private SpeechEmbedding(byte[] melBytes, byte[] embeddingBytes, int threads) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            mel = environment.createSession(melBytes, o);
            embedding = environment.createSession(embeddingBytes, o);
        }
    }

    /** SHA-256 of the two files in the models directory. */
    static final String MEL_SHA256 = "ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f";
    static final String EMBEDDING_SHA256 = "70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f";
    /** How manifests name the pair: 32 hex digits of each file's SHA-256. */
    static final String SHA256 = MEL_SHA256.substring(0, 32) + EMBEDDING_SHA256.substring(0, 32);

    /** The pair of models from the default models directory ({@link ModelFiles}). */
    public static SpeechEmbedding load(int threads) throws IOException {
        return load(ModelFiles.defaultDir(), threads);
    }

    /** The pair of models from {@code modelsDir/openwakeword/}. */
    public static SpeechEmbedding load(Path modelsDir, int threads) throws IOException {
        byte[] mel = ModelFiles.read(modelsDir, "openwakeword/melspectrogram.onnx", MEL_SHA256);
        byte[] embedding = ModelFiles.read(modelsDir, "openwakeword/embedding_model.onnx", EMBEDDING_SHA256);
        try {
            return new SpeechEmbedding(mel, embedding, threads);
        } catch (OrtException ex) {
            throw new IllegalStateException("cannot open openWakeWord's models: " + ex.getMessage(), ex);
        }
    }

    @Override
    public String name() {
        return "openwakeword-speech";
    }

    /** The two files' SHA-256s, 32 hex digits of each. */
    @Override
    public String sha256() {
        return SHA256;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] features(float[] audio, int seconds) {
        int rate = MediaDecoder.SAMPLE_RATE;
        float[] out = new float[seconds * DIMENSION];
        try {
            for (int s = 0; s < seconds; s++) {
                float[] x = new float[rate];
                for (int i = 0; i < rate; i++) {
                    x[i] = audio[s * rate + i] * 32767f;
                }
                float[] spec;
                int frames;
                try (OnnxTensor in = OnnxTensor.createTensor(environment, FloatBuffer.wrap(x), new long[] {1, rate});
                        OrtSession.Result r = mel.run(Map.of("input", in))) {
                    OnnxTensor o = (OnnxTensor) r.get(0);
                    long[] shape = o.getInfo().getShape(); // [time, 1, frames, 32]
                    frames = (int) shape[2];
                    FloatBuffer fb = o.getFloatBuffer();
                    spec = new float[fb.remaining()];
                    fb.get(spec);
                }
                int windows = frames < WINDOW ? 0 : (frames - WINDOW) / STEP + 1;
                if (windows == 0) {
                    continue;
                }
                float[] batch = new float[windows * WINDOW * BANDS];
                for (int w = 0; w < windows; w++) {
                    for (int t = 0; t < WINDOW; t++) {
                        for (int b = 0; b < BANDS; b++) {
                            batch[(w * WINDOW + t) * BANDS + b] = spec[(w * STEP + t) * BANDS + b] / 10f + 2f;
                        }
                    }
                }
                try (OnnxTensor in = OnnxTensor.createTensor(environment, FloatBuffer.wrap(batch),
                        new long[] {windows, WINDOW, BANDS, 1});
                        OrtSession.Result r = embedding.run(Map.of("input_1", in))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    for (int w = 0; w < windows; w++) {
                        for (int d = 0; d < DIMENSION; d++) {
                            out[s * DIMENSION + d] += fb.get(w * DIMENSION + d) / windows;
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("openWakeWord's models failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            mel.close();
            embedding.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
