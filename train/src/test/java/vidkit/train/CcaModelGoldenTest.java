package vidkit.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vidkit.data.Npy;
import vidkit.nn.CcaConfig;
import vidkit.nn.CcaModel;

/**
 * {@link CcaModel} against golden values from {@code tools/cca_golden.py} (numpy, the textbook
 * whitening + SVD route, not vidkit's route): the first 240 sorted clips of the course data, frames
 * 0..4, raw features, ridge 0.1, 8 directions, correlation power 1; scores of the next 5 clips.
 */
class CcaModelGoldenTest {
    static final double[] RHO = {0.997052, 0.991285, 0.989772, 0.988103, 0.987261, 0.985614, 0.985120, 0.984468};
    static final double[][] SCORES = {
        {0.306009, 0.051191, -0.092507, -0.020785, -0.223612},
        {0.423967, 0.050998, 0.002922, -0.148951, 0.212141},
        {0.308682, 0.646577, 0.573878, 0.336109, 0.433655},
        {-0.421745, -0.171800, -0.091911, 0.141055, 0.087541},
        {-0.364357, -0.492012, -0.100657, -0.126215, 0.339195},
    };

    private static NDArray load(NDManager m, Path data, List<String> ids, String modality, int dim) throws Exception {
        int frames = 5;
        float[] out = new float[ids.size() * frames * dim];
        for (int i = 0; i < ids.size(); i++) {
            float[] clip = Npy.read(data.resolve(modality).resolve(ids.get(i) + ".npy")).floats();
            System.arraycopy(clip, 0, out, i * frames * dim, frames * dim); // frames 0..4 of [10, dim]
        }
        return m.create(out, new Shape(ids.size(), frames, dim));
    }

    @Test
    void matchesTheNumpyReference() throws Exception {
        Path data = TrainTestSupport.courseData();
        List<String> ids;
        try (Stream<Path> files = Files.list(data.resolve("afeat"))) {
            ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        assertEquals(List.of("0292", "0293", "0294", "0296", "0297"), ids.subList(240, 245));
        try (NDManager m = NDManager.newBaseManager()) {
            CcaModel model = (CcaModel) new CcaConfig(8, 0.1, 1.0).build(512, 128, 0);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 5, 512), new Shape(1, 5, 128));
            model.fit(load(m, data, ids.subList(0, 240), "vfeat", 512), load(m, data, ids.subList(0, 240), "afeat", 128));
            float[] rho = model.correlations();
            for (int i = 0; i < RHO.length; i++) {
                assertEquals(RHO[i], rho[i], 1e-5, "canonical correlation " + i);
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray v = model.encodeVideo(ps, load(m, data, ids.subList(240, 245), "vfeat", 512), false);
            NDArray a = model.encodeAudio(ps, load(m, data, ids.subList(240, 245), "afeat", 128), false);
            float[] s = model.scoreMatrix(ps, v, a).toFloatArray();
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(SCORES[i][j], s[i * 5 + j], 2e-3, "score (" + i + ", " + j + ")");
                }
            }
        }
    }
}
