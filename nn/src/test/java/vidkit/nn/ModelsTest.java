package vidkit.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ModelsTest {
    static List<MatchingModelConfig> configs() {
        return List.of(
                new LocalMixConfig(16, null, null, 8, 2, 3, null, null, null, null, null),
                new LocalMixConfig(16, null, null, 0, 2, 3, null, null, null, null, false),
                // a width that is not a multiple of the vector length: the kernel's scalar tail
                new LocalMixConfig(13, null, null, 0, 2, 4, null, null, null, Activation.TANH, null),
                new LocalMixConfig(16, null, null, 4, 1, 4, null, null, null, Activation.RELU, null),
                new RnnCnnConfig(8, 1, 6, 3, 1, 8, null, null),
                new TwoStreamCnnConfig(4, 3, 2, 8, 8, null, null, null, null),
                new TwoStreamCnnConfig(4, 3, 1, 8, 8, 0.0, PairLoss.CONTRASTIVE, 2.0, 1),
                new RnnCnnConfig(8, 0, 6, 3, 2, 8, 0.0, 1),
                new TwoTowerConfig(16, 8, null, null, null, Pooling.ATTENTION, 8, null, null, null, null, null),
                new TwoTowerConfig(16, 8, null, null, null, Pooling.FLATTEN, 8, null, null, null, 0.0, null),
                new TwoTowerConfig(16, 8, 1, 1, null, Pooling.NETVLAD, 8, null, null, null, 1.0, 3),
                new TwoTowerConfig(16, 8, 5, 1, 6, Pooling.MEAN, 8, null, Activation.SCALED_TANH, null, 1.0, null));
    }

    static MatchingModel build(MatchingModelConfig config, NDManager manager, int frames) {
        Engine.getInstance().setRandomSeed(3);
        MatchingModel model = config.build(12, 6, 3);
        model.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, frames, 12), new Shape(1, frames, 6));
        return model;
    }

    /** Every parameter's gradient of the training loss, with or without a garbage collection before backward. */
    private static float[] lossGradients(MatchingModelConfig config, boolean stress) {
        try (NDManager m = NDManager.newBaseManager()) {
            MatchingModel model = build(config, m, 10);
            ParameterStore ps = new ParameterStore(m, false);
            Engine.getInstance().setRandomSeed(5);
            NDArray video = m.randomNormal(new Shape(4, 10, 12));
            NDArray audio = m.randomNormal(new Shape(4, 10, 6));
            try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.loss(ps, video, audio, m.create(new long[] {0, 2, 1, 2}), new Random(1));
                if (stress) {
                    ScalarsTest.stressGarbageCollector();
                }
                gc.backward(loss);
            }
            return ScalarsTest.gradients(model);
        }
    }

    /**
     * Every matching model's training gradients survive a collection between forward and backward
     * (the two-tower loss did not: it divided with DJL's div(Number); see {@link Scalars}).
     */
    @ParameterizedTest
    @MethodSource("configs")
    void lossGradientsDoNotDependOnTheGarbageCollector(MatchingModelConfig config) {
        float[] plain = lossGradients(config, false);
        assertTrue(plain.length > 0);
        for (int trial = 0; trial < 2; trial++) {
            assertArrayEquals(plain, lossGradients(config, true), 1e-6f, config.typeName() + " trial " + trial);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void scoreMatrixAgreesWithAlignedFusionAndBatchEqualsSingle(MatchingModelConfig config) {
        try (NDManager m = NDManager.newBaseManager()) {
            MatchingModel model = build(config, m, 10);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray video = m.randomNormal(new Shape(5, 10, 12));
            NDArray audio = m.randomNormal(new Shape(4, 10, 6));
            NDArray v = model.encodeVideo(ps, video, false);
            NDArray a = model.encodeAudio(ps, audio, false);
            NDArray s = model.scoreMatrix(ps, v, a);
            assertEquals(new Shape(5, 4), s.getShape());
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 4; j++) {
                    // the pair scored alone, each item encoded alone
                    NDArray vi = model.encodeVideo(ps, video.get(new NDIndex("{}:{}", i, i + 1)), false);
                    NDArray aj = model.encodeAudio(ps, audio.get(new NDIndex("{}:{}", j, j + 1)), false);
                    float single = model.fuse(ps, vi, aj, false).getFloat(0);
                    assertEquals(single, s.getFloat(i, j), 1e-4, config.typeName() + " pair " + i + "," + j);
                }
            }
            NDArray labels = m.create(new long[] {0, 2, 1, 2});
            NDArray loss = model.loss(ps, video.get(new NDIndex(":4")), audio, labels, new Random(1));
            NDArray unlabelled = model.loss(ps, video.get(new NDIndex(":4")), audio, null, new Random(1));
            assertTrue(Float.isFinite(unlabelled.getFloat()));
            assertEquals(new Shape(), loss.getShape());
            assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0);
        }
    }

    @Test
    void localMixScoresAreProbabilities() {
        try (NDManager m = NDManager.newBaseManager()) {
            MatchingModel model = build(configs().get(0), m, 7);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray s = model.scoreMatrix(ps, model.encodeVideo(ps, m.randomNormal(new Shape(3, 7, 12)), false),
                    model.encodeAudio(ps, m.randomNormal(new Shape(3, 7, 6)), false));
            for (float x : s.toFloatArray()) {
                assertTrue(x > 0 && x < 1);
            }
        }
    }

    @Test
    void contrastiveLossIsHadsellsOnTheEmbeddingDistance() {
        try (NDManager m = NDManager.newBaseManager()) {
            MatchingModel model = build(new TwoStreamCnnConfig(4, 3, 1, 8, 8, 0.0, PairLoss.CONTRASTIVE, 1.5, 1), m, 6);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray video = m.randomNormal(new Shape(3, 6, 12));
            NDArray audio = m.randomNormal(new Shape(3, 6, 6));
            float loss = model.loss(ps, video, audio, null, new Random(5)).getFloat();
            int offset = MatchingModel.negativeOffsets(3, 1, new Random(5))[0];
            float[] v = model.encodeVideo(ps, video, true).toFloatArray(); // batch statistics, as in the loss
            float[] a = model.encodeAudio(ps, audio, true).toFloatArray();
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                double pos = 0;
                double neg = 0;
                int j = (i + offset) % 3;
                for (int k = 0; k < 8; k++) {
                    pos += Math.pow(v[i * 8 + k] - a[i * 8 + k], 2);
                    neg += Math.pow(v[i * 8 + k] - a[j * 8 + k], 2);
                }
                sum += pos + Math.pow(Math.max(0, 1.5 - Math.sqrt(neg)), 2);
            }
            assertEquals(sum / 6 / 2, loss, 1e-4);
        }
    }

    @Test
    void voteIsTheMeanOfChunkMaxima() {
        try (NDManager m = NDManager.newBaseManager()) {
            LocalMixModel model = (LocalMixModel) new LocalMixConfig(4, null, null, 0, null, 2, null, null, null, null, null)
                    .build(3, 3, 0);
            NDArray p = m.create(new float[] {0.1f, 0.5f, 0.3f, 0.2f, 0.9f}, new Shape(1, 5));
            // chunks {0.1,0.5} {0.3,0.2} {0.9}: maxima 0.5, 0.3, 0.9 -> mean 0.5667
            assertEquals((0.5 + 0.3 + 0.9) / 3, model.vote(p).getFloat(0), 1e-6);
        }
    }

    @Test
    void configsRoundTripThroughJsonWithTypeNames() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (MatchingModelConfig c : configs()) {
            String text = json.writeValueAsString(c);
            assertTrue(text.contains("\"type\":\"" + c.typeName() + "\""), text);
            assertEquals(c, json.readValue(text, MatchingModelConfig.class));
        }
        MatchingModelConfig d = json.readValue("{\"type\":\"localmix\"}", MatchingModelConfig.class);
        assertEquals(LocalMixConfig.defaults(), d);
        assertThrows(UnrecognizedPropertyException.class,
                () -> json.readValue("{\"type\":\"twotower\",\"hiden\":3}", MatchingModelConfig.class));
        assertThrows(InvalidTypeIdException.class, () -> json.readValue("{\"type\":\"nope\"}", MatchingModelConfig.class));
        var e = assertThrows(com.fasterxml.jackson.databind.exc.ValueInstantiationException.class,
                () -> json.readValue("{\"type\":\"twotower\",\"kernel\":4}", MatchingModelConfig.class));
        assertTrue(e.getMessage().contains("kernel must be odd"));
    }
}
