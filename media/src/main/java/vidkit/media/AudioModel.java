package vidkit.media;

/**
 * An audio extractor: per-second features of 16 kHz mono audio, {@code [seconds, dimension]}.
 * Implementations are thread-safe. {@link YamNet} (1024-d AudioSet embeddings, the default) and
 * {@link LogMelFeatures#MODEL} (128-d log-mel statistics, no model), {@link SpeechEmbedding} (96-d,
 * openWakeWord's speech embedding).
 */
public interface AudioModel {
    /** The name manifests and runs record (e.g. {@code yamnet}). */
    String name();

    /** SHA-256 of its model file, or {@code null} when it has none. */
    String sha256();

    int dimension();

    /** {@code audio}: at least {@code seconds × 16000} samples → {@code [seconds, dimension]}. */
    float[] features(float[] audio, int seconds);

    /**
     * The audio extractor named {@code name} ({@code yamnet}, {@code logmel}, {@code openwakeword}),
     * its model read from {@code modelsDir}; close what is {@link AutoCloseable}.
     */
    static AudioModel of(String name, java.nio.file.Path modelsDir) throws java.io.IOException {
        return switch (name) {
            case "yamnet" -> YamNet.load(modelsDir);
            case "logmel", LogMelFeatures.NAME -> LogMelFeatures.MODEL;
            case "openwakeword", "openwakeword-speech" -> SpeechEmbedding.load(modelsDir, 1);
            default -> throw new IllegalArgumentException("unknown audio extractor '" + name
                    + "'; known: yamnet, logmel, openwakeword");
        };
    }

    /**
     * How a manifest names the audio extractor called {@code name} (its manifest name, model
     * checksum and dimension), without loading it; {@code null} for a name vidkit does not know.
     */
    static ExtractManifest.Model describe(String name) {
        return switch (name) {
            case "yamnet" -> new ExtractManifest.Model("yamnet", YamNet.SHA256, YamNet.EMBEDDING, null);
            case "logmel", LogMelFeatures.NAME -> new ExtractManifest.Model(LogMelFeatures.NAME, null,
                    LogMelFeatures.DIMENSION, null);
            case "openwakeword", "openwakeword-speech" -> new ExtractManifest.Model("openwakeword-speech",
                    SpeechEmbedding.SHA256, SpeechEmbedding.DIMENSION, null);
            default -> null;
        };
    }
}
