package vidkit.similarity;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.InvalidDataException;

class PairsTest {
    /**
     * A worked example. Three training videos with labels {0,1}, {1}, {2}: df = 1, 2, 1, 0 → idf =
     * ln(4/2)+1, ln(4/3)+1, ln(4/2)+1, ln(4/1)+1. Video a {0, 1} vs b {1, 2}: cos = idf1² /
     * (idf0² + idf1²) (idf0 = idf2); verticals 0 → "Arts", 1 → "Arts", 2 → "Games": J({Arts}, {Arts,
     * Games}) = 1/2; score = round20(0.8 cos + 0.1).
     */
    @Test
    void theReferenceScoreFollowsAWorkedExample() {
        double[] idf = ReferencePairs.idf(List.of(new int[] {0, 1}, new int[] {1}, new int[] {2}), 4);
        double i0 = Math.log(4 / 2.0) + 1;
        double i1 = Math.log(4 / 3.0) + 1;
        assertArrayEquals(new double[] {i0, i1, i0, Math.log(4.0) + 1}, idf, 1e-12);
        String[] vertical = {"Arts", "Arts", "Games", ""};
        double cos = i1 * i1 / (i0 * i0 + i1 * i1);
        double expected = Math.round((0.8 * cos + 0.2 * 0.5) * 20) / 20.0;
        assertEquals(expected, ReferencePairs.score(new int[] {0, 1}, new int[] {1, 2}, idf, vertical), 1e-12);
        // identical label sets with verticals: 1; disjoint labels and verticals: 0; a class without a vertical
        assertEquals(1.0, ReferencePairs.score(new int[] {2}, new int[] {2}, idf, vertical), 1e-12);
        assertEquals(0.0, ReferencePairs.score(new int[] {0}, new int[] {2}, idf, vertical), 1e-12);
        assertEquals(0.8, ReferencePairs.score(new int[] {3}, new int[] {3}, idf, vertical), 1e-12, "J of two empty sets is 0");
        assertEquals(0.2, ReferencePairs.score(new int[] {0}, new int[] {1}, idf, vertical), 1e-12, "same vertical only");
    }

    @Test
    void drawnPairsAreDistinctNeverSelfScoredOnAGridAndReproducible() {
        Random r = new Random(3);
        List<String> ids = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add("v" + i);
            labels.add(new int[] {r.nextInt(8), 8 + r.nextInt(4)});
        }
        double[] idf = ReferencePairs.idf(labels, 12);
        String[] vertical = new String[12];
        for (int c = 0; c < 12; c++) {
            vertical[c] = "V" + (c % 3);
        }
        List<Pair> a = ReferencePairs.draw(ids, labels, 300, idf, vertical, new Random(1));
        List<Pair> b = ReferencePairs.draw(ids, labels, 300, idf, vertical, new Random(1));
        assertEquals(a, b);
        Set<String> seen = new HashSet<>();
        for (Pair p : a) {
            assertNotEquals(p.id1(), p.id2());
            String key = p.id1().compareTo(p.id2()) < 0 ? p.id1() + "|" + p.id2() : p.id2() + "|" + p.id1();
            assertTrue(seen.add(key), "duplicate " + key);
            assertEquals(0, Math.round(p.score() * 20) - p.score() * 20, 1e-9, "on the 0.05 grid");
            assertTrue(p.score() >= 0 && p.score() <= 1);
        }
        // two thirds share a label: far more high scores than uniform pairs alone would give
        long high = a.stream().filter(p -> p.score() >= 0.3).count();
        assertTrue(high > 150, "pairs sharing a label: " + high);
        assertThrows(IllegalArgumentException.class, () -> ReferencePairs.draw(ids.subList(0, 4), labels.subList(0, 4), 10,
                idf, vertical, new Random(1)));
    }

    @Test
    void pairsFilesRoundTripAndBadLinesAreNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.csv");
        List<Pair> pairs = List.of(new Pair("a", "b", 0.25), new Pair("b", "c", 1.0));
        PairsFile.write(f, pairs);
        assertEquals(pairs, PairsFile.read(f, Set.of("a", "b", "c")));
        String[][] bad = {
            {"id1,id2,score\na,b,0.5\nb,a,0.2\n", "line 3", "twice"},
            {"id1,id2,score\na,a,0.5\n", "line 2", "itself"},
            {"id1,id2,score\na,z,0.5\n", "line 2", "'z'"},
            {"id1,id2,score\na,b,1.5\n", "line 2", "outside"},
            {"id1,id2,score\na,b,x\n", "line 2", "not a number"},
            {"id1,id2\na,b\n", "line 1", "header"},
            {"id1,id2,score\na,b\n", "line 2", "3 fields"},
            {"id1,id2,score\n", "no pairs", ""},
        };
        for (String[] c : bad) {
            Files.writeString(f, c[0]);
            var e = assertThrows(InvalidDataException.class, () -> PairsFile.read(f, Set.of("a", "b", "c")), c[0]);
            assertTrue(e.getMessage().contains("p.csv") && e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]),
                    e.getMessage());
        }
    }

    /** Asking for more training pairs leaves the validation pairs as they were (each side has its own generator). */
    @Test
    void validationPairsDoNotDependOnHowManyTrainingPairs(@TempDir Path dir) throws Exception {
        Path shards = SimilarityData.write(dir, 300, 8, 5).resolve("shards/train-0.tfrecord");
        var data = vidkit.data.TaggingDataset.load(shards.toString(), false, 1, null, false,
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), null);
        String[] vertical = new String[data.classes()];
        java.util.Arrays.fill(vertical, "");
        var few = ReferencePairs.make(data, vertical, 500, 300, 0.2, 1);
        var many = ReferencePairs.make(data, vertical, 2000, 300, 0.2, 1);
        assertEquals(few.split().validation(), many.split().validation());
        assertEquals(few.validation(), many.validation());
        assertEquals(few.train(), many.train().subList(0, 500), "the first training pairs are the same too");
        assertNotEquals(few.validation(), ReferencePairs.make(data, vertical, 500, 300, 0.2, 2).validation());
    }
}
