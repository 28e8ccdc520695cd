package vidkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir Path tmp;

    /** Builds a version-1.0 .npy file by hand, independently of Npy.write. */
    static byte[] handMade(String descr, boolean fortran, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shape + ", }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        return b.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void roundTripsFloat32AndInt64() throws Exception {
        NpyArray f = NpyArray.ofFloats(new float[] {1.5f, -2f, 3.25f, 0f, 7f, 1e-8f}, 2, 3);
        Npy.write(tmp.resolve("f.npy"), f);
        assertEquals(f, Npy.read(tmp.resolve("f.npy")));
        NpyArray l = NpyArray.ofLongs(new long[] {1L << 40, -3, 0}, 3);
        Npy.write(tmp.resolve("l.npy"), l);
        assertEquals(l, Npy.read(tmp.resolve("l.npy")));
        // the header is padded so that the data starts at a multiple of 64 bytes
        byte[] bytes = Files.readAllBytes(tmp.resolve("f.npy"));
        assertEquals(0, (bytes.length - 24) % 64);
    }

    @Test
    void roundTripsScalarAndEmptyShapes() throws Exception {
        NpyArray scalar = NpyArray.ofFloats(new float[] {4f});
        Npy.write(tmp.resolve("s.npy"), scalar);
        assertEquals(scalar, Npy.read(tmp.resolve("s.npy")));
        NpyArray empty = NpyArray.ofFloats(new float[0], 0, 5);
        Npy.write(tmp.resolve("e.npy"), empty);
        assertEquals(empty, Npy.read(tmp.resolve("e.npy")));
    }

    @Test
    void readsFortranOrderAsCOrder() throws Exception {
        // a = [[1,2,3],[4,5,6]] stored column-major: 1,4,2,5,3,6
        byte[] file = handMade("<f4", true, "(2, 3)", floats(1, 4, 2, 5, 3, 6));
        NpyArray a = Npy.parse(Path.of("f.npy"), file);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.floats());
    }

    @Test
    void readsFloat16AndUint8() throws Exception {
        ByteBuffer h = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800); // 1, -2, 0.5
        NpyArray half = Npy.parse(Path.of("h.npy"), handMade("<f2", false, "(3,)", h.array()));
        assertArrayEquals(new float[] {1f, -2f, 0.5f}, half.floats());
        NpyArray bytes = Npy.parse(Path.of("u.npy"), handMade("|u1", false, "(2,)", new byte[] {0, (byte) 255}));
        assertArrayEquals(new float[] {0f, 255f}, bytes.floats());
    }

    @Test
    void readsRealCourseFiles() throws Exception {
        Path train = TestFiles.sharedData().resolve("std2022/train");
        NpyArray a = Npy.read(train.resolve("afeat/0001.npy"));
        NpyArray v = Npy.read(train.resolve("vfeat/0001.npy"));
        assertArrayEquals(new int[] {10, 128}, a.shape());
        assertArrayEquals(new int[] {10, 512}, v.shape());
        for (float x : a.floats()) {
            assertEquals(Math.rint(x), x, "audio features are quantized integers");
            assertTrue(x >= 0 && x <= 255);
        }
    }

    @Test
    void rejectsBadFilesWithTypedErrorsNamingTheFile() {
        Path p = Path.of("bad.npy");
        byte[] good = handMade("<f4", false, "(2, 3)", floats(1, 2, 3, 4, 5, 6));
        assertError(p, "not a .npy file", "hello world, not numpy".getBytes());
        assertError(p, "not a .npy file", new byte[3]);
        assertError(p, "truncated data", Arrays.copyOf(good, good.length - 1));
        assertError(p, "trailing bytes", Arrays.copyOf(good, good.length + 4));
        assertError(p, "truncated header", Arrays.copyOf(good, 30));
        assertError(p, "unsupported dtype '>f4'", handMade(">f4", false, "(1,)", floats(1)));
        assertError(p, "unsupported dtype '<f8'", handMade("<f8", false, "(1,)", new byte[8]));
        assertError(p, "malformed header", handMade("<f4", false, "[2, 3]", floats(1, 2, 3, 4, 5, 6)));
        byte[] v9 = good.clone();
        v9[6] = 9;
        assertError(p, "unsupported .npy format version 9", v9);
    }

    @Test
    void missingFileIsInvalidData() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> Npy.read(tmp.resolve("none.npy")));
        assertTrue(e.getMessage().contains("none.npy"));
    }

    private static void assertError(Path p, String expected, byte[] bytes) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.parse(p, bytes));
        assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
