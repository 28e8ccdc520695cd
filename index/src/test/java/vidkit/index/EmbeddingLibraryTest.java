package vidkit.index;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;
import vidkit.data.UnsupportedFormatVersionException;

class EmbeddingLibraryTest {
    @TempDir
    Path dir;

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("clip-" + i + (i % 7 == 0 ? "-é" : ""));
        }
        return ids;
    }

    static float[] random(int n, int dim, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void roundTripsIdsAndRowsThroughTheMemoryMap() throws Exception {
        Path f = dir.resolve("lib.vkemb");
        float[] v = random(300, 5, 1);
        EmbeddingLibrary.write(f, ids(300), v, 5);
        try (EmbeddingLibrary lib = EmbeddingLibrary.open(f)) {
            assertEquals(300, lib.size());
            assertEquals(5, lib.dim());
            assertEquals(ids(300), lib.ids());
            assertEquals(7, lib.indexOf("clip-7-é"));
            assertEquals(-1, lib.indexOf("nope"));
            float[] all = new float[300 * 5];
            lib.rows(0, 300, all);
            assertArrayEquals(v, all);
            assertArrayEquals(new float[] {v[5 * 299], v[5 * 299 + 1], v[5 * 299 + 2], v[5 * 299 + 3], v[5 * 299 + 4]},
                    lib.row(299));
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left");
        }
    }

    @Test
    void corruptTruncatedForeignAndTooNewFilesAreTypedErrors() throws Exception {
        Path f = dir.resolve("lib.vkemb");
        EmbeddingLibrary.write(f, ids(50), random(50, 4, 2), 4);
        byte[] good = Files.readAllBytes(f);
        Path bad = dir.resolve("bad.vkemb");

        byte[] flipped = good.clone();
        flipped[EmbeddingLibrary.HEADER + 17] ^= 0x01;
        Files.write(bad, flipped);
        var e = assertThrows(CorruptFileException.class, () -> EmbeddingLibrary.open(bad));
        assertTrue(e.getMessage().contains("bad.vkemb") && e.getMessage().contains("checksum"), e.getMessage());

        Files.write(bad, java.util.Arrays.copyOf(good, good.length - 9));
        e = assertThrows(CorruptFileException.class, () -> EmbeddingLibrary.open(bad));
        assertTrue(e.getMessage().contains("sizes do not add up"), e.getMessage());

        byte[] foreign = good.clone();
        foreign[0] = 'X';
        Files.write(bad, foreign);
        e = assertThrows(CorruptFileException.class, () -> EmbeddingLibrary.open(bad));
        assertTrue(e.getMessage().contains("not a vidkit embedding library"), e.getMessage());

        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putInt(8, EmbeddingLibrary.VERSION + 1);
        Files.write(bad, newer);
        var v = assertThrows(UnsupportedFormatVersionException.class, () -> EmbeddingLibrary.open(bad));
        assertTrue(v.getMessage().contains("newer vidkit"), v.getMessage());

        assertThrows(InvalidDataException.class, () -> EmbeddingLibrary.open(dir.resolve("missing.vkemb")));
    }

    @Test
    void writingRejectsDuplicateIdsNonFiniteValuesAndBadShapes() {
        Path f = dir.resolve("x.vkemb");
        assertThrows(IllegalArgumentException.class, () -> EmbeddingLibrary.write(f, List.of("a", "a"), new float[4], 2));
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddingLibrary.write(f, List.of("a", "b"), new float[] {0, 1, Float.NaN, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingLibrary.write(f, List.of("a", "b"), new float[5], 2));
        assertFalse(Files.exists(f));
    }

    @Test
    void exactSearchEqualsBruteForceWithTheTieRuleForAnyThreadCount() throws Exception {
        int n = 2500;
        int dim = 37; // not a multiple of the vector length: the scalar tail runs
        float[] v = random(n, dim, 3);
        System.arraycopy(v, 10 * dim, v, 2000 * dim, dim); // row 2000 duplicates row 10: a tie
        Path f = dir.resolve("lib.vkemb");
        EmbeddingLibrary.write(f, ids(n), v, dim);
        int q = 6;
        float[] queries = random(q, dim, 4);
        System.arraycopy(v, 10 * dim, queries, 0, dim); // query 0 is row 10 itself
        try (EmbeddingLibrary lib = EmbeddingLibrary.open(f)) {
            List<List<ExactSearch.Hit>> one = ExactSearch.search(lib, queries, q, 10, 1);
            List<List<ExactSearch.Hit>> two = ExactSearch.search(lib, queries, q, 10, 2);
            // the same rows; scores may differ in the last bit (the Vector API's interpreted and compiled
            // forms sum lanes in different orders)
            for (int j = 0; j < q; j++) {
                assertEquals(one.get(j).stream().map(ExactSearch.Hit::index).toList(),
                        two.get(j).stream().map(ExactSearch.Hit::index).toList());
            }
            for (int j = 0; j < q; j++) {
                final int jj = j;
                List<Integer> expected = java.util.stream.IntStream.range(0, n).boxed()
                        .sorted(Comparator.<Integer>comparingDouble(i -> -dot(v, i, queries, jj, dim)).thenComparing(i -> i))
                        .limit(10).toList();
                assertEquals(expected, one.get(j).stream().map(ExactSearch.Hit::index).toList(), "query " + j);
                assertEquals(dot(v, expected.get(0), queries, j, dim), one.get(j).get(0).score(), 1e-4);
            }
            assertEquals(List.of(10, 2000), one.get(0).subList(0, 2).stream().map(ExactSearch.Hit::index).toList(),
                    "equal scores: lower index first");
            // a single query gives what it got in the batch
            float[] single = java.util.Arrays.copyOfRange(queries, 3 * dim, 4 * dim);
            assertEquals(one.get(3).stream().map(ExactSearch.Hit::index).toList(),
                    ExactSearch.search(lib, single, 1, 10, 2).get(0).stream().map(ExactSearch.Hit::index).toList());
            assertThrows(IllegalArgumentException.class, () -> ExactSearch.search(lib, new float[5], 1, 10, 1));
        }
    }

    static double dot(float[] v, int row, float[] q, int query, int dim) {
        double s = 0;
        for (int i = 0; i < dim; i++) {
            s += (double) v[row * dim + i] * q[query * dim + i];
        }
        return s;
    }
}
