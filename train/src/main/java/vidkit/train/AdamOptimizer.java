package vidkit.train;

import vidkit.core.OptimizerConfig;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam / AdamW with global gradient-norm clipping, written over NDArrays so its state (step count,
 * first and second moments) is saved in checkpoints and a resumed run continues exactly.
 *
 * <p>Per step t, for every trainable parameter w with gradient g (after clipping the global L2 norm
 * of all gradients to {@code clipNorm}): for Adam {@code g += λ w}; {@code m = β1 m + (1−β1) g};
 * {@code v = β2 v + (1−β2) g²}; {@code w −= lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)}; for
 * AdamW additionally {@code w −= lr · λ · w}. Gradients are zeroed afterwards.
 */
public final class AdamOptimizer {
    private final OptimizerConfig config;
    private final List<Pair<String, Parameter>> parameters = new ArrayList<>();
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long step;
    private double lastGradientNorm;

    /** Each trainable parameter's learning-rate multiplier (1 unless a task asks otherwise). */
    private final Map<String, Double> multipliers = new LinkedHashMap<>();

    /** State arrays are created in {@code manager}, which must outlive the optimizer. */
    public AdamOptimizer(OptimizerConfig config, Block model, NDManager manager) {
        this(config, model, manager, name -> 1.0);
    }

    /**
     * With a learning-rate multiplier per parameter ({@code multiplier} of its path in the model):
     * the step of parameter {@code p} uses {@code lr · multiplier(p)}, weight decay included.
     */
    public AdamOptimizer(OptimizerConfig config, Block model, NDManager manager,
            java.util.function.ToDoubleFunction<String> multiplier) {
        this.config = config;
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().requiresGradient()) {
                double m = multiplier.applyAsDouble(p.getKey());
                if (!(m >= 0) || Double.isInfinite(m)) {
                    throw new IllegalArgumentException("learning-rate multiplier of " + p.getKey() + " is " + m);
                }
                multipliers.put(p.getKey(), m);
                parameters.add(p);
                NDArray w = p.getValue().getArray();
                first.put(p.getKey(), manager.zeros(w.getShape(), w.getDataType()));
                second.put(p.getKey(), manager.zeros(w.getShape(), w.getDataType()));
            }
        }
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    /** The global gradient norm before clipping, at the last step. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * Applies one update with learning rate {@code lr}. Call inside an {@code NDScope}: every
     * temporary is released with it.
     */
    public void step(double lr) {
        double sq = 0;
        for (Pair<String, Parameter> p : parameters) {
            NDArray g = p.getValue().getArray().getGradient();
            sq += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        lastGradientNorm = norm;
        if (!Double.isFinite(norm)) {
            List<String> bad = new java.util.ArrayList<>();
            for (Pair<String, Parameter> p : parameters) {
                NDArray g = p.getValue().getArray().getGradient();
                if (!Float.isFinite(g.square().sum().getFloat())) {
                    bad.add(p.getKey());
                }
            }
            throw new IllegalStateException("non-finite gradient norm at step " + (step + 1) + " (in " + bad.size()
                    + " of " + parameters.size() + " parameters, first " + bad
                    + "): lower the learning rate or check the inputs");
        }
        double scale = config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1.0;
        step++;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        double wd = config.weightDecay();
        boolean decoupled = config.kind() == OptimizerConfig.Kind.ADAMW;
        for (Pair<String, Parameter> p : parameters) {
            double plr = lr * multipliers.get(p.getKey());
            NDArray w = p.getValue().getArray();
            NDArray grad = w.getGradient();
            NDArray g = grad.mul((float) scale);
            if (!decoupled && wd > 0) {
                g = g.add(w.mul((float) wd));
            }
            NDArray m = first.get(p.getKey());
            NDArray v = second.get(p.getKey());
            m.muli((float) b1).addi(g.mul((float) (1 - b1)));
            v.muli((float) b2).addi(g.square().mul((float) (1 - b2)));
            NDArray update = m.div((float) c1).div(v.div((float) c2).sqrt().add(config.epsilon().floatValue()))
                    .mul((float) plr);
            if (decoupled && wd > 0) {
                update = update.add(w.mul((float) (plr * wd)));
            }
            w.subi(update);
            grad.subi(grad);
        }
    }

    /**
     * Writes the state into a checkpoint's stream: step count, parameter count, then per parameter
     * its name and both moments (each an int32 length and DJL's NDArray encoding).
     */
    public void writeState(DataOutputStream out) throws IOException {
        out.writeLong(step);
        out.writeInt(parameters.size());
        for (Pair<String, Parameter> p : parameters) {
            out.writeUTF(p.getKey());
            for (NDArray a : List.of(first.get(p.getKey()), second.get(p.getKey()))) {
                byte[] enc = a.encode();
                out.writeInt(enc.length);
                out.write(enc);
            }
        }
    }

    /** Restores state written by {@link #writeState} (or a version-1 checkpoint) for the same model. */
    public void loadState(DataInputStream in) throws IOException {
        step = in.readLong();
        int n = in.readInt();
        if (n != parameters.size()) {
            throw new IOException("optimizer state has " + n + " parameters, the model " + parameters.size());
        }
        for (Pair<String, Parameter> p : parameters) {
            String name = in.readUTF();
            if (!name.equals(p.getKey())) {
                throw new IOException("optimizer state for " + name + " where " + p.getKey() + " was expected");
            }
            for (NDArray target : List.of(first.get(p.getKey()), second.get(p.getKey()))) {
                int length = in.readInt();
                if (length < 0 || length > 16L * target.getShape().size() + 4096) {
                    throw new IOException("optimizer state for " + name + " declares " + length + " bytes");
                }
                byte[] enc = new byte[length];
                in.readFully(enc);
                vidkit.core.Checkpoint.checkEncoding(java.nio.file.Path.of("optimizer state"), name, enc, target);
                try (NDArray loaded = target.getManager().decode(enc)) {
                    target.set(loaded.toByteBuffer());
                }
            }
        }
    }
}
