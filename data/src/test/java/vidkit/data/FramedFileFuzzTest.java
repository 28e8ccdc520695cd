package vidkit.data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Fuzzes {@link FramedFile} (the container of version-1 checkpoints and PCA files) with a valid
 * file edited by the fuzzer and, half the time, re-sealed (length and CRC32C recomputed): only
 * {@link InvalidDataException} subtypes escape, and what is accepted is exactly the re-sealed
 * payload.
 */
class FramedFileFuzzTest {
    private static final Path NAME = Path.of("fuzzed.bin");
    private static final String MAGIC = "VKFUZZ01";
    private static final byte[] VALID;

    static {
        byte[] payload = new byte[96];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 37);
        }
        VALID = seal(frame(1, payload));
    }

    private static byte[] frame(int version, byte[] payload) {
        return ByteBuffer.allocate(20 + payload.length + 8).put(MAGIC.getBytes()).putInt(version).putLong(payload.length)
                .put(payload).array();
    }

    /** The format's rule: int64 payload length at byte 12, CRC32C of all before the last 8 bytes. */
    private static byte[] seal(byte[] b) {
        if (b.length < 28) {
            return b;
        }
        ByteBuffer.wrap(b).putLong(12, b.length - 28);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
        return b;
    }

    @FuzzTest(maxDuration = "15s")
    void read(FuzzedDataProvider data) {
        byte[] bytes = FuzzedBytes.edit(VALID, data, FramedFileFuzzTest::seal);
        try {
            FramedFile f = FramedFile.read(bytes, NAME, MAGIC, 2);
            if (f.payload().length != bytes.length - 28
                    || !Arrays.equals(f.payload(), Arrays.copyOfRange(bytes, 20, bytes.length - 8))) {
                throw new AssertionError("accepted a payload that is not the framed bytes");
            }
        } catch (InvalidDataException expected) {
            // typed
        } catch (IOException e) {
            throw new AssertionError("untyped error", e);
        }
    }
}
