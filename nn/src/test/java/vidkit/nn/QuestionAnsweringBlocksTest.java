package vidkit.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The question-answering blocks: padding never changes a result, batch = single, gradients are right. */
class QuestionAnsweringBlocksTest {
    NDManager manager;
    ParameterStore ps;

    @BeforeEach
    void open() {
        Engine.getInstance().setRandomSeed(5);
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A 3-token question alone and padded to 6 tokens with garbage beside a 6-token one: the same states. */
    @Test
    void theQuestionEncoderIgnoresPaddingInBothDirections() {
        var enc = new QuestionEncoder(8);
        enc.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        enc.initialize(manager, DataType.FLOAT32, new Shape(2, 6, 5), new Shape(2, 6));
        NDArray shortQ = manager.randomNormal(new Shape(1, 3, 5));
        NDArray longQ = manager.randomNormal(new Shape(1, 6, 5));
        NDArray garbage = manager.randomNormal(new Shape(1, 3, 5)).mul(50);
        NDArray batch = NDArrays.concat(new NDList(NDArrays.concat(new NDList(shortQ, garbage), 1), longQ), 0);
        NDArray mask = manager.create(new float[] {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1}, new Shape(2, 6));
        var both = enc.encode(ps, batch, mask, false);
        var alone = enc.encode(ps, shortQ, manager.ones(new Shape(1, 3)), false);
        var aloneLong = enc.encode(ps, longQ, manager.ones(new Shape(1, 6)), false);
        assertArrayEquals(alone.sentence().toFloatArray(), both.sentence().get("0:1").toFloatArray(), 1e-5f);
        assertArrayEquals(alone.words().toFloatArray(), both.words().get("0:1, 0:3").toFloatArray(), 1e-5f);
        assertArrayEquals(new float[3 * 8], both.words().get("0:1, 3:6").toFloatArray(), 0f);
        assertArrayEquals(aloneLong.sentence().toFloatArray(), both.sentence().get("1:2").toFloatArray(), 1e-5f);
        // the reversal index reverses each row within its length and is its own inverse
        NDArray r = QuestionEncoder.reversalIndex(mask, 1, manager);
        assertArrayEquals(new long[] {2, 1, 0, 3, 4, 5, 5, 4, 3, 2, 1, 0}, r.toLongArray());
    }

    /** Each node's edge weights are a distribution, and another question weighs the edges otherwise. */
    @Test
    void graphAttentionIsConditionedOnTheQuestion() {
        var g = new QuestionGraphAttention(8, 2);
        g.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        g.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 8), new Shape(1, 5, 8), new Shape(1, 8));
        NDArray x = manager.randomNormal(new Shape(1, 4, 8));
        NDArray y = manager.randomNormal(new Shape(1, 5, 8));
        NDArray a1 = g.weights(ps, x, y, manager.randomNormal(new Shape(1, 8)), false);
        NDArray a2 = g.weights(ps, x, y, manager.randomNormal(new Shape(1, 8)), false);
        assertEquals(new Shape(1, 2, 4, 5), a1.getShape());
        for (float s : a1.sum(new int[] {3}).toFloatArray()) {
            assertEquals(1f, s, 1e-5f);
        }
        assertTrue(a1.sub(a2).abs().max().getFloat() > 1e-3f, "the question must change the edge weights");
        assertEquals(new Shape(1, 4, 8), g.update(ps, x, y, manager.randomNormal(new Shape(1, 8)), false).getShape());
    }

    @Test
    void graphAttentionGradientMatchesFiniteDifferences() {
        var g = new QuestionGraphAttention(4, 2);
        g.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        g.initialize(manager, DataType.FLOAT64, new Shape(2, 3, 4), new Shape(2, 3, 4), new Shape(2, 4));
        NDArray x = manager.randomNormal(new Shape(2, 3, 4)).toType(DataType.FLOAT64, false);
        NDArray y = manager.randomNormal(new Shape(2, 3, 4)).toType(DataType.FLOAT64, false);
        NDArray q = manager.randomNormal(new Shape(2, 4)).toType(DataType.FLOAT64, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(g.update(ps, x, y, q, true).tanh().sum());
        }
        for (String child : List.of("gate", "query", "key", "value", "output")) {
            Parameter w = BlocksTest.child(g, child).getParameters().get("weight");
            double[] grad = w.getArray().getGradient().toDoubleArray();
            double eps = 1e-6;
            for (int k = 0; k < grad.length; k += 3) {
                double[] fx = new double[2];
                for (int s = 0; s < 2; s++) {
                    double[] vals = w.getArray().toDoubleArray();
                    vals[k] += s == 0 ? eps : -eps;
                    w.getArray().set(vals);
                    fx[s] = g.update(ps, x, y, q, false).tanh().sum().getDouble();
                    vals[k] -= s == 0 ? eps : -eps;
                    w.getArray().set(vals);
                }
                assertEquals((fx[0] - fx[1]) / (2 * eps), grad[k], 1e-6, child + " weight " + k);
            }
        }
    }

    /** The graph model and the fusion baseline answer a clip's question alike alone and in a padded batch. */
    @Test
    void answerersGiveTheSameLogitsAloneAndInABatch() {
        for (var kind : AnswererConfig.Kind.values()) {
            var config = new AnswererConfig(kind, 16, 2, 2, 0.0, 0.0, kind == AnswererConfig.Kind.GRAPH);
            VideoQuestionAnswerer m = config.build(6, 4, 7);
            m.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            m.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 6), new Shape(2, 5, 4), new Shape(2, 3, 10),
                    new Shape(2, 3));
            NDArray v = manager.randomNormal(new Shape(2, 5, 6));
            NDArray a = manager.randomNormal(new Shape(2, 5, 4));
            NDArray t = manager.randomNormal(new Shape(2, 4, 10));
            NDArray mask = manager.create(new float[] {1, 1, 0, 0, 1, 1, 1, 1}, new Shape(2, 4));
            var both = m.forward(ps, v, a, t, mask, false);
            var first = m.forward(ps, v.get("0:1"), a.get("0:1"), t.get("0:1, 0:2"), manager.ones(new Shape(1, 2)), false);
            assertEquals(new Shape(2, 7), both.logits().getShape());
            assertArrayEquals(first.logits().toFloatArray(), both.logits().get("0:1").toFloatArray(), 1e-4f, kind.name());
            if (kind == AnswererConfig.Kind.GRAPH) {
                assertEquals(new Shape(2, 5, 6), both.videoReconstruction().getShape());
                assertEquals(new Shape(2, 5, 4), both.audioReconstruction().getShape());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new AnswererConfig(null, 10, 4, null, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new AnswererConfig(AnswererConfig.Kind.FUSION, null, null, null, null, null, true));
    }
}
