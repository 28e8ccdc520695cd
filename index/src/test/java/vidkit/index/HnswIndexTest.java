package vidkit.index;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;

/** The Lucene HNSW index: recall against exact search, exact scores, persistence and typed errors. */
class HnswIndexTest {
    private static final int N = 3000;
    private static final int DIM = 32;

    @TempDir
    Path dir;

    private EmbeddingLibrary library(String name, float[] rows) throws Exception {
        Path f = dir.resolve(name);
        EmbeddingLibrary.write(f, EmbeddingLibraryTest.ids(rows.length / DIM), rows, DIM);
        return EmbeddingLibrary.open(f);
    }

    /** Mean fraction of the exact top 10 that the index finds, over {@code queries}. */
    private static double recallAt10(HnswIndex index, EmbeddingLibrary lib, float[] queries, int count, int ef) throws Exception {
        List<List<ExactSearch.Hit>> exact = ExactSearch.search(lib, queries, count, 10, 1);
        int found = 0;
        for (int q = 0; q < count; q++) {
            float[] query = java.util.Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
            List<ExactSearch.Hit> hits = index.search(query, 10, ef);
            assertEquals(10, hits.size());
            Set<Integer> truth = new HashSet<>();
            exact.get(q).forEach(h -> truth.add(h.index()));
            for (int i = 0; i < hits.size(); i++) {
                ExactSearch.Hit h = hits.get(i);
                // scores are the exact dot products of the rows named, best first
                assertEquals(ExactSearch.dot(lib.row(h.index()), 0, query, 0, DIM), h.score(), 0f);
                if (i > 0) {
                    assertTrue(hits.get(i - 1).score() >= h.score());
                }
                if (truth.contains(h.index())) {
                    found++;
                }
            }
        }
        return found / (10.0 * count);
    }

    @Test
    void findsTheExactNeighboursOfUnitVectorsAndPersists() throws Exception {
        try (EmbeddingLibrary lib = library("unit.vkemb", SearchBenchmark.clustered(N, DIM, 30, 1))) {
            Path indexDir = dir.resolve("unit.hnsw");
            List<String> phases = new ArrayList<>();
            HnswIndex.BuildStats stats = HnswIndex.build(lib, indexDir, new HnswIndex.Params(16, 100), 2,
                    (phase, done, total) -> {
                        assertTrue(done <= total && total == N, phase + " " + done + "/" + total);
                        if (!phases.contains(phase)) {
                            phases.add(phase);
                        }
                    });
            assertEquals("DOT_PRODUCT", stats.similarity());
            assertEquals(List.of(HnswIndex.Progress.ADDING, HnswIndex.Progress.GRAPH), phases);
            try (var s = Files.list(dir)) {
                assertEquals(2, s.count(), "the library and the index, no building directory left");
            }
            float[] queries = SearchBenchmark.clustered(200, DIM, 30, 2);
            double recall;
            try (HnswIndex index = HnswIndex.open(indexDir, lib)) {
                recall = recallAt10(index, lib, queries, 200, 100);
                assertTrue(recall >= 0.9, "recall@10 " + recall);
                // ef below k still returns k hits; a row searched for finds itself first
                float[] row = lib.row(1234);
                List<ExactSearch.Hit> self = index.search(row, 5, 1);
                assertEquals(5, self.size());
                assertEquals(1234, self.get(0).index());
                assertThrows(IllegalArgumentException.class, () -> index.search(new float[DIM + 1], 10, 10));
            }
            try (HnswIndex again = HnswIndex.open(indexDir, lib)) {
                assertEquals(recall, recallAt10(again, lib, queries, 200, 100), 0.0, "a reopened index answers the same");
                assertEquals(new HnswIndex.Params(16, 100), again.params());
            }
            InvalidDataException exists = assertThrows(InvalidDataException.class,
                    () -> HnswIndex.build(lib, indexDir, HnswIndex.Params.DEFAULT, 1, null));
            assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        }
    }

    @Test
    void vectorsOfAnyLengthUseInnerProductAndStillRankByTheExactDotProduct() throws Exception {
        float[] rows = EmbeddingLibraryTest.random(N, DIM, 5);
        try (EmbeddingLibrary lib = library("raw.vkemb", rows)) {
            Path indexDir = dir.resolve("raw.hnsw");
            assertEquals("MAXIMUM_INNER_PRODUCT", HnswIndex.build(lib, indexDir, HnswIndex.Params.DEFAULT, 1, null).similarity());
            try (HnswIndex index = HnswIndex.open(indexDir, lib)) {
                double recall = recallAt10(index, lib, EmbeddingLibraryTest.random(100, DIM, 6), 100, 200);
                assertTrue(recall >= 0.8, "recall@10 " + recall);
            }
        }
    }

    @Test
    void quantizedGraphsStillFindTheNeighboursAndKeepExactScores() throws Exception {
        try (EmbeddingLibrary lib = library("q.vkemb", SearchBenchmark.clustered(N, DIM, 30, 8))) {
            float[] queries = SearchBenchmark.clustered(100, DIM, 30, 9);
            for (String q : List.of("int8", "int4")) {
                Path indexDir = dir.resolve("q-" + q + ".hnsw");
                HnswIndex.build(lib, indexDir, new HnswIndex.Params(16, 100, q), 2, null);
                try (HnswIndex index = HnswIndex.open(indexDir, lib)) {
                    assertEquals(q, index.params().quantization());
                    double recall = recallAt10(index, lib, queries, 100, 100); // also checks the scores are exact
                    assertTrue(recall >= 0.9, q + " recall@10 " + recall);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new HnswIndex.Params(16, 100, "int2"));
    }

    @Test
    void anotherLibraryOrADamagedIndexIsATypedError() throws Exception {
        try (EmbeddingLibrary lib = library("a.vkemb", SearchBenchmark.clustered(500, DIM, 5, 3));
                EmbeddingLibrary other = library("b.vkemb", SearchBenchmark.clustered(500, DIM, 5, 4))) {
            Path indexDir = dir.resolve("a.hnsw");
            HnswIndex.build(lib, indexDir, HnswIndex.Params.DEFAULT, 1, null);
            InvalidDataException wrong = assertThrows(InvalidDataException.class, () -> HnswIndex.open(indexDir, other));
            assertTrue(wrong.getMessage().contains("another library"), wrong.getMessage());

            InvalidDataException none = assertThrows(InvalidDataException.class, () -> HnswIndex.open(dir, lib));
            assertTrue(none.getMessage().contains("not a vidkit HNSW index"), none.getMessage());

            // one flipped byte in the middle of the largest Lucene file
            Path largest;
            try (var files = Files.list(indexDir)) {
                largest = files.filter(p -> !p.getFileName().toString().endsWith(".json"))
                        .max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(largest);
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(largest, bytes);
            CorruptFileException corrupt = assertThrows(CorruptFileException.class, () -> HnswIndex.open(indexDir, lib));
            assertTrue(corrupt.getMessage().contains(indexDir.toString()), corrupt.getMessage());
            // and a truncated one
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(largest, java.util.Arrays.copyOf(bytes, bytes.length - 10));
            assertThrows(CorruptFileException.class, () -> HnswIndex.open(indexDir, lib));
        }
    }
}
