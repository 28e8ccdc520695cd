package vidkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramedFileTest {
    @TempDir Path tmp;

    @Test
    void roundTripsAndRejectsCorruption() throws Exception {
        Path f = tmp.resolve("x.bin");
        byte[] payload = "hello payload".getBytes();
        FramedFile.write(f, "VKTEST01", 2, payload);
        FramedFile r = FramedFile.read(f, "VKTEST01", 2);
        assertEquals(2, r.version());
        assertArrayEquals(payload, r.payload());

        assertThrows(UnsupportedFormatVersionException.class, () -> FramedFile.read(f, "VKTEST01", 1));
        assertThrows(CorruptFileException.class, () -> FramedFile.read(f, "VKOTHER1", 2));

        byte[] bytes = Files.readAllBytes(f);
        byte[] flipped = bytes.clone();
        flipped[22] ^= 1;
        Files.write(f, flipped);
        var e = assertThrows(CorruptFileException.class, () -> FramedFile.read(f, "VKTEST01", 2));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("x.bin"));

        Files.write(f, Arrays.copyOf(bytes, bytes.length - 3));
        e = assertThrows(CorruptFileException.class, () -> FramedFile.read(f, "VKTEST01", 2));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // no temp files are left behind
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
    }
}
