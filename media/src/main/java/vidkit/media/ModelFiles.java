package vidkit.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;

/**
 * Where the pretrained model files come from: a directory laid out like the project's {@code
 * ../shared/models} ({@code mobilenetv2-12-int8.onnx}, {@code yamnet.tflite}, {@code
 * openwakeword/*.onnx}), never downloaded and not copied into the repository. The default is the
 * system property {@value #PROPERTY} (the {@code vidkit} script and the tests set it to the
 * checkout's {@code ../shared/models}), else the environment variable {@value #ENV}, else {@code
 * ../shared/models} from the working directory; commands take {@code --models DIR} and the server a
 * {@code models} key. Every file is checked against the SHA-256 vidkit was built with, so a run's
 * recorded extractor always names exactly the weights that made its features.
 */
public final class ModelFiles {
    public static final String PROPERTY = "vidkit.models";
    public static final String ENV = "VIDKIT_MODELS";

    private ModelFiles() {}

    /** The default models directory (see the class). */
    public static Path defaultDir() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        return Path.of(p == null || p.isBlank() ? "../shared/models" : p);
    }

    /**
     * The bytes of {@code name} in {@code dir}, checked against {@code sha256}.
     *
     * @throws InvalidDataException when the file is missing (naming where it was looked for and how
     *     to point elsewhere)
     * @throws CorruptFileException when its checksum differs
     */
    public static byte[] read(Path dir, String name, String sha256) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "is missing: vidkit reads its pretrained models from " + dir
                    + " (the project's ../shared/models; point elsewhere with --models DIR, -D" + PROPERTY + "=DIR or "
                    + ENV + ")");
        }
        byte[] bytes = Files.readAllBytes(file);
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new CorruptFileException(file, "has SHA-256 " + actual + "; vidkit was built with " + sha256);
        }
        return bytes;
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
