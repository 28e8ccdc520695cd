package vidkit.matching;

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
 * 0..4, raw features, ridge 0.1, 8 directions, correlation power 1; scores of the next 5 clips. Both
 * levels: the flattened clips as samples, and every second as a sample.
 */
class CcaModelGoldenTest {
    static final double[] CLIP_RHO = {0.997052, 0.991285, 0.989772, 0.988103, 0.987261, 0.985614, 0.985120, 0.984468};
    static final double[][] CLIP_SCORES = {
        {0.306009, 0.051191, -0.092507, -0.020785, -0.223612},
        {0.423967, 0.050998, 0.002922, -0.148951, 0.212141},
        {0.308682, 0.646577, 0.573878, 0.336109, 0.433655},
        {-0.421745, -0.171800, -0.091911, 0.141055, 0.087541},
        {-0.364357, -0.492012, -0.100657, -0.126215, 0.339195},
    };
    static final double[] FRAME_RHO = {0.943145, 0.852575, 0.827873, 0.811842, 0.793052, 0.776879, 0.760042, 0.754928};
    static final double[][] FRAME_SCORES = {
        {0.555121, 0.305109, -0.433938, -0.433759, -0.274714},
        {0.003523, -0.042530, -0.052477, -0.164772, 0.301781},
        {0.108112, 0.171383, 0.438635, 0.404132, 0.173233},
        {-0.575053, -0.488219, 0.272753, 0.210270, 0.432405},
        {-0.195603, -0.307571, 0.012964, -0.072346, 0.373454},
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
    void clipLevelMatchesTheNumpyReference() throws Exception {
        check(CcaConfig.Level.CLIP, CLIP_RHO, CLIP_SCORES);
    }

    @Test
    void frameLevelMatchesTheNumpyReference() throws Exception {
        check(CcaConfig.Level.FRAME, FRAME_RHO, FRAME_SCORES);
    }

    private static void check(CcaConfig.Level level, double[] expectedRho, double[][] expectedScores) throws Exception {
        Path data = TrainTestSupport.courseData();
        List<String> ids;
        try (Stream<Path> files = Files.list(data.resolve("afeat"))) {
            ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        assertEquals(List.of("0292", "0293", "0294", "0296", "0297"), ids.subList(240, 245));
        try (NDManager m = NDManager.newBaseManager()) {
            CcaModel model = (CcaModel) new CcaConfig(level, 8, 0.1, 1.0).build(512, 128, 0);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 5, 512), new Shape(1, 5, 128));
            model.fit(load(m, data, ids.subList(0, 240), "vfeat", 512), load(m, data, ids.subList(0, 240), "afeat", 128));
            float[] rho = model.correlations();
            for (int i = 0; i < expectedRho.length; i++) {
                assertEquals(expectedRho[i], rho[i], 1e-5, level + " canonical correlation " + i);
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray v = model.encodeVideo(ps, load(m, data, ids.subList(240, 245), "vfeat", 512), false);
            NDArray a = model.encodeAudio(ps, load(m, data, ids.subList(240, 245), "afeat", 128), false);
            assertEquals(new Shape(5, level == CcaConfig.Level.FRAME ? 5 * 8 : 8), v.getShape());
            float[] norms = v.norm(new int[] {1}).toFloatArray();
            for (float n : norms) {
                assertEquals(1, n, 1e-5, "codes are unit vectors");
            }
            float[] s = model.scoreMatrix(ps, v, a).toFloatArray();
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(expectedScores[i][j], s[i * 5 + j], 2e-3, level + " score (" + i + ", " + j + ")");
                }
            }
        }
    }
}
