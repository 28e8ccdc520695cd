package vidkit.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Fuzzes the {@code .npy} reader with raw bytes (no checksum in this format): only {@link
 * NpyFormatException} may escape, and what parses must be self-consistent. Seeds: the real AVE
 * {@code .npy} files ({@code scripts/fuzz} copies some in) and the small inputs beside this class.
 */
class NpyFuzzTest {
    private static final Path NAME = Path.of("fuzzed.npy");

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] bytes) {
        NpyArray array;
        try {
            array = Npy.parse(NAME, bytes);
        } catch (NpyFormatException expected) {
            return;
        }
        long count = 1;
        for (int d : array.shape()) {
            if (d < 0) {
                throw new AssertionError("negative dimension in " + array);
            }
            count *= d;
        }
        if (count != array.size() || count * array.dtype().bytes() > bytes.length) {
            throw new AssertionError("size " + array.size() + " does not follow from shape, or exceeds the input: " + array);
        }
        array.asFloats();
    }
}
