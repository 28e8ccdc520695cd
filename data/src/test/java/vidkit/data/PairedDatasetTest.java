package vidkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedDatasetTest {
    @TempDir Path tmp;

    @Test
    void loadsPairedDirectoryInSortedOrder() throws Exception {
        TestFiles.writePaired(tmp, 5, 4, 6, 3, 1);
        PairedDataset d = PairedDataset.load(tmp);
        assertEquals(5, d.size());
        assertEquals(4, d.frames());
        assertEquals(6, d.video().dim());
        assertEquals(3, d.audio().dim());
        assertEquals("0000", d.ids().get(0));
        NpyArray v2 = Npy.read(tmp.resolve("vfeat/0002.npy"));
        for (int k = 0; k < 24; k++) {
            assertEquals(v2.floats()[k], d.video().values()[2 * 24 + k]);
        }
        assertNull(d.labels());
    }

    @Test
    void readsQuotedLabels() throws Exception {
        TestFiles.writePaired(tmp, 2, 2, 2, 2, 1);
        Files.writeString(tmp.resolve("labels.csv"), "id,label,event,youtube_id,start_s,end_s\n"
                + "0000,3,\"Baby cry, infant cry\",abc,0,10\n0001,1,Bark,def,2,5\n");
        PairedDataset d = PairedDataset.load(tmp);
        assertEquals(new ClipLabel(3, "Baby cry, infant cry", "abc"), d.labels().get(0));
        assertEquals("Bark", d.classNames().get(1));
    }

    @Test
    void rejectsMissingPartner() throws Exception {
        TestFiles.writePaired(tmp, 3, 2, 2, 2, 1);
        Files.delete(tmp.resolve("afeat/0001.npy"));
        var e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp));
        assertTrue(e.getMessage().contains("vfeat/0001.npy") && e.getMessage().contains("no partner"), e.getMessage());
    }

    @Test
    void rejectsShapeAndDtypeMismatch() throws Exception {
        TestFiles.writePaired(tmp, 3, 2, 2, 2, 1);
        Npy.write(tmp.resolve("vfeat/0002.npy"), NpyArray.ofFloats(new float[6], 2, 3));
        var e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp));
        assertTrue(e.getMessage().contains("0002.npy") && e.getMessage().contains("shape [2, 3]"), e.getMessage());
        Npy.write(tmp.resolve("vfeat/0002.npy"), NpyArray.ofLongs(new long[4], 2, 2));
        e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp));
        assertTrue(e.getMessage().contains("dtype <i8"), e.getMessage());
    }

    @Test
    void rejectsFrameCountMismatchBetweenModalities() throws Exception {
        TestFiles.writePaired(tmp.resolve("a"), 2, 3, 2, 2, 1);
        TestFiles.writePaired(tmp.resolve("b"), 2, 4, 2, 2, 1);
        Files.move(tmp.resolve("b/afeat"), tmp.resolve("c"));
        Files.move(tmp.resolve("a/afeat"), tmp.resolve("b/afeat"));
        var e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp.resolve("b")));
        assertTrue(e.getMessage().contains("frames"), e.getMessage());
    }

    @Test
    void rejectsNonFiniteValues() throws Exception {
        TestFiles.writePaired(tmp, 2, 2, 2, 2, 1);
        Npy.write(tmp.resolve("afeat/0001.npy"), NpyArray.ofFloats(new float[] {0, 1, Float.NaN, 2}, 2, 2));
        var e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp));
        assertTrue(e.getMessage().contains("afeat/0001.npy") && e.getMessage().contains("non-finite"), e.getMessage());
        Npy.write(tmp.resolve("afeat/0001.npy"), NpyArray.ofFloats(new float[] {0, Float.POSITIVE_INFINITY, 1, 2}, 2, 2));
        assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp));
    }

    @Test
    void rejectsEmptyAndMissingDirectoriesAndCorruptFiles() throws Exception {
        var e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"));
        Files.createDirectories(tmp.resolve("vfeat"));
        Files.createDirectories(tmp.resolve("afeat"));
        e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp));
        assertTrue(e.getMessage().contains("no .npy files"), e.getMessage());
        TestFiles.writePaired(tmp, 2, 2, 2, 2, 1);
        Files.write(tmp.resolve("vfeat/0001.npy"), new byte[] {1, 2, 3});
        assertThrows(NpyFormatException.class, () -> PairedDataset.load(tmp));
    }

    @Test
    void rejectsLabelsMissingAClip() throws Exception {
        TestFiles.writePaired(tmp, 2, 2, 2, 2, 1);
        Files.writeString(tmp.resolve("labels.csv"), "id,label\n0000,1\n");
        var e = assertThrows(InvalidDataException.class, () -> PairedDataset.load(tmp));
        assertTrue(e.getMessage().contains("labels.csv") && e.getMessage().contains("0001"), e.getMessage());
    }

    @Test
    void loadsTheRealCourseData() throws Exception {
        PairedDataset d = PairedDataset.load(TestFiles.sharedData().resolve("std2022/train"));
        assertEquals(2747, d.size());
        assertEquals(10, d.frames());
        assertEquals(512, d.video().dim());
        assertEquals(128, d.audio().dim());
        assertEquals(28, d.classNames().size());
        assertEquals("Church bell", d.classNames().get(0));
        Set<String> ids = new HashSet<>(d.ids());
        assertEquals(2747, ids.size());
    }

    @Test
    void normalizerStandardizes() throws Exception {
        TestFiles.writePaired(tmp, 20, 3, 4, 5, 7);
        PairedDataset d = PairedDataset.load(tmp);
        FeatureNormalizer n = FeatureNormalizer.fit(d.audio());
        FeatureSet z = n.apply(d.audio());
        FeatureNormalizer again = FeatureNormalizer.fit(z);
        for (int j = 0; j < 5; j++) {
            assertEquals(0, again.mean()[j], 1e-4);
            assertEquals(1, again.std()[j], 1e-4);
        }
        assertThrows(IllegalArgumentException.class, () -> n.apply(d.video()));
    }
}
