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
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlocksTest {
    NDManager manager;
    ParameterStore ps;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static float[][] matrix(NDArray a) {
        long[] s = a.getShape().getShape();
        float[] f = a.toFloatArray();
        float[][] m = new float[(int) s[0]][(int) s[1]];
        for (int i = 0; i < s[0]; i++) {
            System.arraycopy(f, (int) (i * s[1]), m[i], 0, (int) s[1]);
        }
        return m;
    }

    /** DJL prefixes child names with their position ("01forward0"); finds a child by its given name. */
    static Block child(Block parent, String name) {
        for (var e : parent.getChildren()) {
            if (e.getKey().replaceFirst("^\\d+", "").equals(name)) {
                return e.getValue();
            }
        }
        throw new AssertionError("no child " + name + " in " + parent.getChildren().keys());
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** W [out, in] · x [in] + b. */
    private static double[] affine(float[][] w, float[] b, double[] x) {
        double[] y = new double[w.length];
        for (int o = 0; o < w.length; o++) {
            double s = b == null ? 0 : b[o];
            for (int i = 0; i < x.length; i++) {
                s += w[o][i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    /** A one-layer, one-direction DJL cell's weights, in PyTorch's layout ([gates·hidden, in]). */
    record CellWeights(float[][] wi, float[][] wh, float[] bi, float[] bh) {
        static CellWeights of(Block cell) {
            var p = cell.getDirectParameters();
            return new CellWeights(matrix(p.get("l_0_i2h_WEIGHT").getArray()), matrix(p.get("l_0_h2h_WEIGHT").getArray()),
                    p.get("l_0_i2h_BIAS").getArray().toFloatArray(), p.get("l_0_h2h_BIAS").getArray().toFloatArray());
        }
    }

    /**
     * An independent GRU, PyTorch's equations: r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise,
     * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h; gates stacked r,z,n.
     */
    private static double[][] gru(Block cell, double[][] xs, boolean reverse) {
        CellWeights weights = CellWeights.of(cell);
        float[][] wi = weights.wi();
        float[][] wh = weights.wh();
        float[] bi = weights.bi();
        float[] bh = weights.bh();
        int hidden = wh[0].length;
        double[] h = new double[hidden];
        double[][] out = new double[xs.length][];
        for (int step = 0; step < xs.length; step++) {
            int t = reverse ? xs.length - 1 - step : step;
            double[] gi = affine(wi, bi, xs[t]);
            double[] gh = affine(wh, bh, h);
            double[] next = new double[hidden];
            for (int k = 0; k < hidden; k++) {
                double r = sigmoid(gi[k] + gh[k]);
                double z = sigmoid(gi[hidden + k] + gh[hidden + k]);
                double n = Math.tanh(gi[2 * hidden + k] + r * gh[2 * hidden + k]);
                next[k] = (1 - z) * n + z * h[k];
            }
            h = next;
            out[t] = h;
        }
        return out;
    }

    /** An independent LSTM, PyTorch's equations, gates stacked i, f, g, o. */
    private static double[][] lstm(Block cell, double[][] xs, boolean reverse) {
        CellWeights weights = CellWeights.of(cell);
        float[][] wi = weights.wi();
        float[][] wh = weights.wh();
        float[] bi = weights.bi();
        float[] bh = weights.bh();
        int hidden = wh[0].length;
        double[] h = new double[hidden];
        double[] c = new double[hidden];
        double[][] out = new double[xs.length][];
        for (int step = 0; step < xs.length; step++) {
            int t = reverse ? xs.length - 1 - step : step;
            double[] gi = affine(wi, bi, xs[t]);
            double[] gh = affine(wh, bh, h);
            double[] nh = new double[hidden];
            for (int k = 0; k < hidden; k++) {
                double i = sigmoid(gi[k] + gh[k]);
                double f = sigmoid(gi[hidden + k] + gh[hidden + k]);
                double g = Math.tanh(gi[2 * hidden + k] + gh[2 * hidden + k]);
                double o = sigmoid(gi[3 * hidden + k] + gh[3 * hidden + k]);
                c[k] = f * c[k] + i * g;
                nh[k] = o * Math.tanh(c[k]);
            }
            h = nh;
            out[t] = h;
        }
        return out;
    }

    private void checkBidirectional(RecurrentKind kind) {
        int batch = 2;
        int frames = 5;
        int in = 3;
        int hidden = 4;
        var block = new BidirectionalRecurrent(kind, hidden, 2, true, 0f);
        block.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        block.setInitializer(new NormalInitializer(0.5f), Parameter.Type.BIAS);
        block.initialize(manager, DataType.FLOAT32, new Shape(batch, frames, in));
        NDArray x = manager.randomNormal(new Shape(batch, frames, in));
        float[] out = block.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
        float[] xf = x.toFloatArray();
        for (int b = 0; b < batch; b++) {
            double[][] seq = new double[frames][in];
            for (int t = 0; t < frames; t++) {
                for (int i = 0; i < in; i++) {
                    seq[t][i] = xf[(b * frames + t) * in + i];
                }
            }
            for (int layer = 0; layer < 2; layer++) {
                Block fwd = child(block, "forward" + layer);
                Block bwd = child(block, "backward" + layer);
                double[][] f = kind == RecurrentKind.GRU ? gru(fwd, seq, false) : lstm(fwd, seq, false);
                double[][] r = kind == RecurrentKind.GRU ? gru(bwd, seq, true) : lstm(bwd, seq, true);
                seq = new double[frames][2 * hidden];
                for (int t = 0; t < frames; t++) {
                    System.arraycopy(f[t], 0, seq[t], 0, hidden);
                    System.arraycopy(r[t], 0, seq[t], hidden, hidden);
                }
            }
            for (int t = 0; t < frames; t++) {
                for (int k = 0; k < 2 * hidden; k++) {
                    assertEquals(seq[t][k], out[(b * frames + t) * 2 * hidden + k], 1e-5,
                            kind + " batch " + b + " frame " + t + " unit " + k);
                }
            }
        }
    }

    /** An untrained residual blend is the plain ensemble: L2 of the mean of the members' unit embeddings (worked by hand). */
    @Test
    void anUntrainedResidualBlendIsTheMeanOfItsMembers() {
        BlendModel b = new BlendModel(8, 3, 0.0, 2);
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
        // member 1 (1, 0, 0), member 2 (0, 0.6, 0.8): mean (0.5, 0.3, 0.4), norm √0.5
        NDArray x = manager.create(new float[] {1, 0, 0, 0, 0.6f, 0.8f}, new Shape(1, 6));
        float[] e = b.embed(new ParameterStore(manager, false), x, false).toFloatArray();
        double n = Math.sqrt(0.5);
        assertArrayEquals(new float[] {(float) (0.5 / n), (float) (0.3 / n), (float) (0.4 / n)}, e, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new BlendModel(8, 3, 0.0, 2).initialize(manager,
                DataType.FLOAT32, new Shape(1, 5)));
    }

    @Test
    void bidirectionalGruMatchesAnIndependentComputation() {
        checkBidirectional(RecurrentKind.GRU);
    }

    @Test
    void bidirectionalLstmMatchesAnIndependentComputation() {
        checkBidirectional(RecurrentKind.LSTM);
    }

    @Test
    void temporalConvIsAZeroPaddedKernelThreeConvolution() {
        var conv = new TemporalConv(3, 2);
        conv.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        conv.setInitializer(new NormalInitializer(1f), Parameter.Type.BIAS);
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 3));
        NDArray x = manager.randomNormal(new Shape(1, 4, 3));
        float[] y = conv.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
        float[][] w = matrix(child(conv, "linear").getParameters().get("weight").getArray()); // [2, 9]
        float[] bias = child(conv, "linear").getParameters().get("bias").getArray().toFloatArray();
        float[] xf = x.toFloatArray();
        for (int t = 0; t < 4; t++) {
            for (int o = 0; o < 2; o++) {
                double s = bias[o];
                for (int off = -1; off <= 1; off++) {
                    int src = t + off;
                    if (src < 0 || src >= 4) {
                        continue; // zero padding
                    }
                    for (int i = 0; i < 3; i++) {
                        s += w[o][(off + 1) * 3 + i] * xf[src * 3 + i];
                    }
                }
                assertEquals(s, y[t * 2 + o], 1e-5);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new TemporalConv(2, 4));
    }

    @Test
    void attentionPoolingIgnoresMaskedPadding() {
        var pool = new AttentionPooling(8);
        pool.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        pool.initialize(manager, DataType.FLOAT32, new Shape(1, 5, 6));
        NDArray x = manager.randomNormal(new Shape(1, 3, 6));
        NDArray padded = NDArrays.concat(new NDList(x, manager.randomNormal(new Shape(1, 2, 6)).mul(100)), 1);
        NDArray mask = manager.create(new float[] {1, 1, 1, 0, 0}, new Shape(1, 5));
        float[] a = pool.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
        float[] b = pool.forward(ps, new NDList(padded, mask), false).singletonOrThrow().toFloatArray();
        assertArrayEquals(a, b, 1e-5f);
    }

    @Test
    void temporalConvGradientMatchesFiniteDifferences() {
        var conv = new TemporalConv(3, 2);
        conv.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
        conv.initialize(manager, DataType.FLOAT64, new Shape(2, 4, 3));
        NDArray x = manager.randomNormal(new Shape(2, 4, 3)).toType(DataType.FLOAT64, false);
        Parameter w = child(conv, "linear").getParameters().get("weight");
        NDArray analytic;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = conv.forward(ps, new NDList(x), true).singletonOrThrow();
            gc.backward(y.tanh().sum());
            analytic = w.getArray().getGradient().duplicate();
        }
        double[] g = analytic.toDoubleArray();
        double eps = 1e-6;
        for (int k = 0; k < g.length; k += 2) {
            double[] fx = new double[2];
            for (int s = 0; s < 2; s++) {
                NDArray wt = w.getArray();
                double[] vals = wt.toDoubleArray();
                vals[k] += s == 0 ? eps : -eps;
                wt.set(vals);
                fx[s] = conv.forward(ps, new NDList(x), false).singletonOrThrow().tanh().sum().getDouble();
                vals[k] -= s == 0 ? eps : -eps;
                wt.set(vals);
            }
            assertEquals((fx[0] - fx[1]) / (2 * eps), g[k], 1e-6, "weight " + k);
        }
    }

    @Test
    void focalLossMatchesItsFormula() {
        NDArray p = manager.create(new float[] {0.9f, 0.2f, 0.6f});
        NDArray y = manager.create(new float[] {1, 0, 0});
        // -(0.1^2 ln 0.9 + 0.2^2 ln 0.8 + 0.6^2 ln 0.4) / 3
        double expected = -(0.01 * Math.log(0.9) + 0.04 * Math.log(0.8) + 0.36 * Math.log(0.4)) / 3;
        assertEquals(expected, Losses.focal(p, y, 2).getFloat(), 1e-6);
        double bce = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3;
        assertEquals(bce, Losses.focal(p, y, 0).getFloat(), 1e-6);
    }

    @Test
    void focalLossFromLogitsEqualsTheProbabilityFormAndKeepsItsGradientWhenSaturated() {
        float[] p = {0.9f, 0.2f, 0.6f};
        float[] z = new float[3];
        for (int i = 0; i < 3; i++) {
            z[i] = (float) Math.log(p[i] / (1 - p[i]));
        }
        NDArray y = manager.create(new float[] {1, 0, 0});
        for (double gamma : new double[] {0, 2}) {
            assertEquals(Losses.focal(manager.create(p), y, gamma).getFloat(),
                    Losses.focalFromLogits(manager.create(z), y, gamma).getFloat(), 1e-6);
        }
        // a confidently wrong positive: logit -40 (p clips to 1e-6 in the probability form)
        NDArray logit = manager.create(new float[] {-40f});
        logit.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray loss = Losses.focalFromLogits(logit, manager.create(new float[] {1f}), 0);
            assertEquals(40, loss.getFloat(), 1e-4); // -log sigmoid(-40) = 40 + log(1 + e^-40)
            gc.backward(loss);
        }
        assertEquals(-1, logit.getGradient().getFloat(0), 1e-6); // d/dz softplus(-z) = -sigmoid(-z)
    }

    @Test
    void rollRowsPairsEachRowWithAnother() {
        NDArray x = manager.arange(4f).reshape(4, 1);
        assertArrayEquals(new float[] {2, 3, 0, 1}, MatchingModel.rollRows(x, 2).toFloatArray());
        assertEquals(0, x.get(new NDIndex("0")).getFloat(0), 0);
    }
}
