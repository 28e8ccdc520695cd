package vidkit.index;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import vidkit.data.FuzzedBytes;
import vidkit.data.InvalidDataException;

/**
 * Fuzzes {@code .vkemb} embedding libraries: a valid library (12 rows × 5, ids with non-ASCII
 * letters) edited by the fuzzer and half the time re-sealed (CRC32C recomputed), written to a file
 * and opened as {@code vidkit serve} and {@code vidkit index build} open one. Only {@link
 * InvalidDataException} subtypes escape; an accepted library's every id and row can be read.
 */
class EmbeddingLibraryFuzzTest {
    private static final byte[] VALID;
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("vidkit-fuzz-vkemb");
            FILE = dir.resolve("fuzzed.vkemb");
            List<String> ids = new ArrayList<>();
            float[] rows = new float[12 * 5];
            for (int i = 0; i < 12; i++) {
                ids.add(i % 3 == 0 ? "vidéo-" + i : "v" + i);
                for (int d = 0; d < 5; d++) {
                    rows[i * 5 + d] = (i - 6) * 0.25f + d;
                }
            }
            EmbeddingLibrary.write(FILE, ids, rows, 5);
            VALID = Files.readAllBytes(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The format's rule: CRC32C of everything before the last 8 bytes, big-endian. */
    private static byte[] seal(byte[] b) {
        if (b.length >= 8) {
            CRC32C crc = new CRC32C();
            crc.update(b, 0, b.length - 8);
            ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        }
        return b;
    }

    @FuzzTest(maxDuration = "15s")
    void open(FuzzedDataProvider data) throws IOException {
        Files.write(FILE, FuzzedBytes.edit(VALID, data, EmbeddingLibraryFuzzTest::seal));
        try (EmbeddingLibrary lib = EmbeddingLibrary.open(FILE)) {
            for (int i = 0; i < lib.size(); i++) {
                if (lib.row(i).length != lib.dim() || lib.indexOf(lib.ids().get(i)) != i) {
                    throw new AssertionError("row " + i + " inconsistent");
                }
            }
        } catch (InvalidDataException expected) {
            // typed
        }
    }
}
