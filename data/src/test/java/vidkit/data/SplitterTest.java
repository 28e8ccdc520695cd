package vidkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SplitterTest {
    static PairedDataset data;

    @BeforeAll
    static void load() throws Exception {
        data = PairedDataset.load(TestFiles.sharedData().resolve("std2022/train"));
    }

    @Test
    void defaultSplitIsStratifiedGroupedAndDisjoint() {
        Split s = Splitter.split(data, SplitConfig.defaults());
        assertEquals(data.size(), s.train().size() + s.validation().size());
        Set<String> train = new HashSet<>(s.train());
        for (String id : s.validation()) {
            assertFalse(train.contains(id));
        }
        // groups never straddle
        Map<String, Boolean> side = new HashMap<>();
        Set<String> val = new HashSet<>(s.validation());
        for (int i = 0; i < data.size(); i++) {
            String g = data.labels().get(i).group();
            boolean v = val.contains(data.ids().get(i));
            Boolean before = side.put(g, v);
            assertTrue(before == null || before == v, "group " + g + " straddles the split");
        }
        // every class is present in validation at roughly 20%
        Map<Integer, int[]> counts = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            int[] c = counts.computeIfAbsent(data.labels().get(i).label(), k -> new int[2]);
            c[val.contains(data.ids().get(i)) ? 1 : 0]++;
        }
        assertEquals(28, counts.size());
        for (var e : counts.entrySet()) {
            double share = e.getValue()[1] / (double) (e.getValue()[0] + e.getValue()[1]);
            assertTrue(share > 0.1 && share < 0.3, "class " + e.getKey() + " validation share " + share);
        }
        double total = s.validation().size() / (double) data.size();
        assertEquals(0.2, total, 0.02);
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Split a = Splitter.split(data, SplitConfig.defaults());
        Split b = Splitter.split(data, SplitConfig.defaults());
        Split c = Splitter.split(data, new SplitConfig(null, 2L, null, null, null, null));
        assertEquals(a, b);
        assertNotEquals(a.validation(), c.validation());
    }

    @Test
    void kFoldsPartitionTheData() {
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int f = 0; f < 5; f++) {
            Split s = Splitter.split(data, new SplitConfig(null, 3L, null, null, 5, f));
            total += s.validation().size();
            seen.addAll(s.validation());
            assertTrue(s.validation().size() > 400 && s.validation().size() < 700, "fold size " + s.validation().size());
        }
        assertEquals(data.size(), total);
        assertEquals(data.size(), seen.size());
    }

    @Test
    void validatesConfig() {
        assertThrows(IllegalArgumentException.class, () -> new SplitConfig(1.5, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new SplitConfig(null, null, null, null, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new SplitConfig(null, null, null, null, 5, 5));
    }

    @Test
    void splitRoundTripsThroughFiles(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Split s = Splitter.split(data, SplitConfig.defaults());
        s.write(tmp);
        assertEquals(s, Split.read(tmp));
    }
}
