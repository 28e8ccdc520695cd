package vidkit.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TaggingBlocksTest {
    NDManager manager;
    ParameterStore ps;

    @BeforeEach
    void open() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void mixtureOfExpertsLogitIsTheLogOddsOfTheGatedMixture() {
        int classes = 3;
        int mixtures = 2;
        var moe = new MixtureOfExperts(classes, mixtures);
        moe.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        moe.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
        NDArray x = manager.randomNormal(new Shape(2, 4));
        float[] logits = moe.logits(ps, x, false).toFloatArray();
        // independent: gate logits and expert logits from the two linear layers, then p by the formula
        float[] g = BlocksTest.child(moe, "gates").forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
        float[] z = BlocksTest.child(moe, "experts").forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < classes; c++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int m = 0; m <= mixtures; m++) {
                    max = Math.max(max, g[(b * classes + c) * (mixtures + 1) + m]);
                }
                double norm = 0;
                for (int m = 0; m <= mixtures; m++) {
                    norm += Math.exp(g[(b * classes + c) * (mixtures + 1) + m] - max);
                }
                double p = 0;
                for (int m = 0; m < mixtures; m++) {
                    double gate = Math.exp(g[(b * classes + c) * (mixtures + 1) + m] - max) / norm;
                    p += gate * sigmoid(z[(b * classes + c) * mixtures + m]);
                }
                assertEquals(Math.log(p / (1 - p)), logits[b * classes + c], 1e-4, "video " + b + " class " + c);
            }
        }
    }

    @Test
    void mixtureOfExpertsGradientMatchesFiniteDifferences() {
        var moe = new MixtureOfExperts(2, 2);
        moe.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        moe.initialize(manager, DataType.FLOAT64, new Shape(3, 4));
        NDArray x = manager.randomNormal(new Shape(3, 4)).toType(DataType.FLOAT64, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(moe.logits(ps, x, true).tanh().sum()); // one backward: gradients accumulate
        }
        for (String child : List.of("gates", "experts")) {
            Parameter w = BlocksTest.child(moe, child).getParameters().get("weight");
            double[] g = w.getArray().getGradient().toDoubleArray();
            double eps = 1e-6;
            for (int k = 0; k < g.length; k += 3) {
                double[] fx = new double[2];
                for (int s = 0; s < 2; s++) {
                    double[] vals = w.getArray().toDoubleArray();
                    vals[k] += s == 0 ? eps : -eps;
                    w.getArray().set(vals);
                    fx[s] = moe.logits(ps, x, false).tanh().sum().getDouble();
                    vals[k] -= s == 0 ? eps : -eps;
                    w.getArray().set(vals);
                }
                assertEquals((fx[0] - fx[1]) / (2 * eps), g[k], 1e-6, child + " weight " + k);
            }
        }
    }

    @Test
    void netVladMatchesAPlainJavaComputation() {
        var pool = new NetVladPooling(3, 2, true, 0);
        pool.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        NDArray mask = manager.create(new float[] {1, 1, 1, 1}, new Shape(1, 4));
        pool.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 3), mask.getShape());
        NDArray x = manager.randomNormal(new Shape(1, 4, 3));
        float[] out = pool.pool(ps, x, mask, false).toFloatArray();
        float[] w = BlocksTest.child(pool, "assignment").getParameters().get("weight").getArray().toFloatArray(); // [K, d]
        float[] bias = BlocksTest.child(pool, "assignment").getParameters().get("bias").getArray().toFloatArray();
        float[] c = pool.getParameters().get("centres").getArray().toFloatArray(); // [1, d, K]
        float[] xf = x.toFloatArray();
        double[][] v = new double[3][2];
        for (int t = 0; t < 4; t++) {
            double[] logit = new double[2];
            for (int k = 0; k < 2; k++) {
                logit[k] = bias[k];
                for (int d = 0; d < 3; d++) {
                    logit[k] += w[k * 3 + d] * xf[t * 3 + d];
                }
            }
            double mx = Math.max(logit[0], logit[1]);
            double z = Math.exp(logit[0] - mx) + Math.exp(logit[1] - mx);
            for (int k = 0; k < 2; k++) {
                double a = Math.exp(logit[k] - mx) / z;
                for (int d = 0; d < 3; d++) {
                    v[d][k] += a * (xf[t * 3 + d] - c[d * 2 + k]);
                }
            }
        }
        double total = 0;
        for (int k = 0; k < 2; k++) {
            double n = Math.sqrt(v[0][k] * v[0][k] + v[1][k] * v[1][k] + v[2][k] * v[2][k]);
            for (int d = 0; d < 3; d++) {
                v[d][k] /= n;
                total += v[d][k] * v[d][k];
            }
        }
        for (int d = 0; d < 3; d++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(v[d][k] / Math.sqrt(total), out[d * 2 + k], 1e-5, "d " + d + " k " + k);
            }
        }
    }

    @Test
    void netFvMatchesThePlainFisherVectorFormula() {
        var pool = new NetFvPooling(2, 2);
        pool.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        NDArray mask = manager.ones(new Shape(1, 3));
        pool.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 2), mask.getShape());
        pool.getParameters().get("scales").getArray().set(new float[] {0.8f, 1.3f, 1.1f, 0.6f}); // [1, d=2, K=2]
        NDArray x = manager.randomNormal(new Shape(1, 3, 2));
        float[] out = pool.pool(ps, x, mask, false).toFloatArray();
        float[] w = BlocksTest.child(pool, "assignment").getParameters().get("weight").getArray().toFloatArray();
        float[] bias = BlocksTest.child(pool, "assignment").getParameters().get("bias").getArray().toFloatArray();
        float[] c = pool.getParameters().get("centres").getArray().toFloatArray();
        float[] s = pool.getParameters().get("scales").getArray().toFloatArray();
        float[] xf = x.toFloatArray();
        double[][] first = new double[2][2];
        double[][] second = new double[2][2];
        for (int t = 0; t < 3; t++) {
            double l0 = bias[0] + w[0] * xf[t * 2] + w[1] * xf[t * 2 + 1];
            double l1 = bias[1] + w[2] * xf[t * 2] + w[3] * xf[t * 2 + 1];
            double a0 = 1 / (1 + Math.exp(l1 - l0));
            double[] a = {a0, 1 - a0};
            for (int d = 0; d < 2; d++) {
                for (int k = 0; k < 2; k++) {
                    double sigma = s[d * 2 + k] * s[d * 2 + k] + 1e-6;
                    double diff = xf[t * 2 + d] - c[d * 2 + k];
                    first[d][k] += a[k] * diff / sigma;
                    second[d][k] += a[k] * (diff * diff / (sigma * sigma) - 1);
                }
            }
        }
        double[] expected = new double[8];
        for (int part = 0; part < 2; part++) {
            double[][] v = part == 0 ? first : second;
            double total = 0;
            double[][] n = new double[2][2];
            for (int k = 0; k < 2; k++) {
                double col = Math.sqrt(v[0][k] * v[0][k] + v[1][k] * v[1][k]);
                for (int d = 0; d < 2; d++) {
                    n[d][k] = v[d][k] / col;
                    total += n[d][k] * n[d][k];
                }
            }
            for (int d = 0; d < 2; d++) {
                for (int k = 0; k < 2; k++) {
                    expected[part * 4 + d * 2 + k] = n[d][k] / Math.sqrt(total) / Math.sqrt(2); // halves of unit norm
                }
            }
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(expected[i], out[i], 1e-4, "output " + i);
        }
    }

    static List<PoolingConfig> poolings() {
        return List.of(new PoolingConfig.Mean(), new PoolingConfig.NetVlad(4, true, 0),
                new PoolingConfig.NetVlad(4, false, 5), new PoolingConfig.NextVlad(4, 2, 3),
                new PoolingConfig.Recurrent(RecurrentKind.GRU, 5), new PoolingConfig.Recurrent(RecurrentKind.LSTM, 5),
                new PoolingConfig.NetFv(3), new PoolingConfig.SoftDbow(7), new PoolingConfig.Dbof(9));
    }

    @ParameterizedTest
    @MethodSource("poolings")
    void poolingIgnoresPaddingAndBatchEqualsSingle(PoolingConfig config) {
        TemporalPooling pool = config.build(6);
        pool.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        pool.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 6), new Shape(2, 5));
        NDArray short1 = manager.randomNormal(new Shape(1, 3, 6));
        NDArray full2 = manager.randomNormal(new Shape(1, 5, 6));
        NDArray garbage = manager.randomNormal(new Shape(1, 2, 6)).mul(100);
        NDArray batch = NDArrays.concat(new NDList(NDArrays.concat(new NDList(short1, garbage), 1), full2), 0);
        NDArray mask = manager.create(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, 5));
        float[] pooled = pool.pool(ps, batch, mask, false).toFloatArray();
        float[] alone1 = pool.pool(ps, short1, manager.ones(new Shape(1, 3)), false).toFloatArray();
        float[] alone2 = pool.pool(ps, full2, manager.ones(new Shape(1, 5)), false).toFloatArray();
        int d = pool.outputDim();
        assertEquals(2 * d, pooled.length);
        for (int i = 0; i < d; i++) {
            assertEquals(alone1[i], pooled[i], 1e-5, "padded clip, output " + i);
            assertEquals(alone2[i], pooled[d + i], 1e-5, "full clip, output " + i);
        }
    }

    @Test
    void taggerVariantsProduceLogitsAndTheirLossIsTheSummedBinaryCrossEntropy() {
        List<TaggerConfig> configs = List.of(
                new TaggerConfig(null, null, null, null, new ClassifierConfig.Logistic(), null, null, null),
                new TaggerConfig(null, TaggerConfig.Modalities.AUDIO, null, null, new ClassifierConfig.Moe(4), true, null, null),
                new TaggerConfig(new PoolingConfig.NetVlad(3, true, 0), null, 8, true, null, true, 0.2, null),
                new TaggerConfig(new PoolingConfig.NextVlad(2, 2, 2), TaggerConfig.Modalities.VISUAL, 8, false, null, false,
                        null, 2.0));
        for (TaggerConfig config : configs) {
            Tagger tagger = config.build(6, 4, 5);
            tagger.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
            tagger.initialize(manager, DataType.FLOAT32, new Shape(3, 2, 6), new Shape(3, 2, 4), new Shape(3, 2));
            NDArray v = manager.randomNormal(new Shape(3, 2, 6));
            NDArray a = manager.randomNormal(new Shape(3, 2, 4));
            NDArray mask = manager.ones(new Shape(3, 2));
            NDArray logits = tagger.logits(ps, v, a, mask, false);
            assertEquals(new Shape(3, 5), logits.getShape());
            NDArray y = manager.create(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, new Shape(3, 5));
            float loss = tagger.loss(logits, y).getFloat();
            float[] z = logits.toFloatArray();
            float[] t = y.toFloatArray();
            double expected = 0;
            for (int i = 0; i < z.length; i++) {
                double p = sigmoid(z[i]);
                double pt = t[i] > 0 ? p : 1 - p;
                double w = config.focalGamma() > 0 ? Math.pow(1 - pt, config.focalGamma()) : 1;
                expected -= w * Math.log(pt);
            }
            assertEquals(expected / 3, loss, 1e-4, config.describe());
        }
    }
}
