package vidkit.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Builds small paired datasets on disk for tests. */
final class TestFiles {
    private TestFiles() {}

    static Path sharedData() {
        Path p = Path.of(System.getProperty("vidkit.sharedData", "../shared/data"));
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("real test data missing: expected " + p.toAbsolutePath()
                    + " (the shared/ folder beside the project; see README)");
        }
        return p;
    }

    /** Writes n clips with ids 0000.. to dir/vfeat and dir/afeat with the given shapes. */
    static void writePaired(Path dir, int n, int frames, int videoDim, int audioDim, long seed) throws Exception {
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            String id = String.format("%04d", i);
            float[] v = new float[frames * videoDim];
            float[] a = new float[frames * audioDim];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) r.nextGaussian();
            }
            for (int k = 0; k < a.length; k++) {
                a[k] = r.nextInt(256);
            }
            Npy.write(dir.resolve("vfeat/" + id + ".npy"), NpyArray.ofFloats(v, frames, videoDim));
            Npy.write(dir.resolve("afeat/" + id + ".npy"), NpyArray.ofFloats(a, frames, audioDim));
        }
    }
}
