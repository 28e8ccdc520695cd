package vidkit.media;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import vidkit.data.FuzzedBytes;

/**
 * Fuzzes media probing and decoding (FFmpeg through JavaCV, as {@code vidkit extract} and the
 * server's video uploads use it): a real one-second H.264/AAC MP4 (a photograph and a recorded
 * bell, made with Debian's ffmpeg) edited by the fuzzer — headers, box lengths, packets — is
 * written to a file and decoded. Only {@link MediaException} may escape (and FFmpeg must not take
 * the JVM down).
 */
class MediaProbeFuzzTest {
    private static final byte[] VALID;
    private static final Path FILE;
    private static final MediaDecoder DECODER = new MediaDecoder(1920L * 1080, 1);

    static {
        try {
            MediaFixtures.requireTools();
            Path dir = Files.createTempDirectory("vidkit-fuzz-media");
            Path clip = MediaFixtures.clip(dir.resolve("seed.mp4"), "dog.jpg", MediaFixtures.sound("bell.oga"), 1.0,
                    "-s", "96x64", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "32k");
            VALID = Files.readAllBytes(clip);
            FILE = dir.resolve("fuzzed.mp4");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void decode(FuzzedDataProvider data) throws IOException {
        boolean allowSilent = data.consumeBoolean();
        Files.write(FILE, FuzzedBytes.edit(VALID, data, b -> b));
        try {
            DecodedMedia m = DECODER.decode(FILE, allowSilent, 2);
            if (m == null) {
                throw new AssertionError("no result");
            }
        } catch (MediaException expected) {
            // typed
        }
    }
}
