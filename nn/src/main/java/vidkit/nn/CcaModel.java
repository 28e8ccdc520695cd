package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.Random;

/**
 * Linear CCA between the modalities ({@link CcaConfig}). At clip level a video {@code [batch, frames,
 * videoDim]} becomes {@code [batch, frames·videoDim]}, is centred, projected to {@code k =
 * dimensions} canonical coordinates, each multiplied by {@code ρ^(power/2)}, and scaled to unit
 * length: the code {@code [batch, k]}. At frame level every second is projected alike with one
 * {@code [videoDim, k]} projection, each second's {@code k} coordinates scaled to unit length, and
 * the code is their concatenation divided by {@code √frames}, {@code [batch, frames·k]}: its dot
 * product with an audio code is the mean over seconds of the per-second cosines. Audio likewise. A
 * pair scores the dot product of its two unit codes.
 *
 * <p>Fitted in closed form by {@link #fit} (no gradient training; {@link #loss} is unsupported).
 * With the samples {@code X} {@code [n, p]} and {@code Y} {@code [n, q]} centred (clips, or every
 * second of every clip), {@code q ≤ p} (sides swap otherwise), {@code Cxx = XᵀX/n + r·tr/p·I},
 * {@code Cyy} likewise, {@code Cxy = XᵀY/n}: the symmetric {@code T = Cyy^{-1/2} Cyx Cxx⁻¹ Cxy
 * Cyy^{-1/2}} {@code [q, q]} has eigenpairs {@code (ρ², u)}; then {@code b = Cyy^{-1/2} u} and
 * {@code a = Cxx⁻¹ Cxy b / ρ}, so that {@code aᵀCxx a = bᵀCyy b = 1} and {@code aᵀCxy b = ρ}. The
 * large inverse and products run in float64 on the engine; the two {@code [q, q]}
 * eigen-decompositions in {@link SymmetricEigen}.
 */
public final class CcaModel extends MatchingModel {
    private final CcaConfig config;
    private final Parameter videoMean;
    private final Parameter videoProjection;
    private final Parameter audioMean;
    private final Parameter audioProjection;
    private final Parameter correlations;

    CcaModel(CcaConfig config) {
        this.config = config;
        videoMean = addParameter(parameter("videoMean"));
        videoProjection = addParameter(parameter("videoProjection"));
        audioMean = addParameter(parameter("audioMean"));
        audioProjection = addParameter(parameter("audioProjection"));
        correlations = addParameter(parameter("correlations"));
    }

    private static Parameter parameter(String name) {
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(0)).optRequiresGrad(false).build();
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        boolean frame = config.frameLevel();
        long p = frame ? inputShapes[0].get(2) : inputShapes[0].get(1) * inputShapes[0].get(2);
        long q = frame ? inputShapes[1].get(2) : inputShapes[1].get(1) * inputShapes[1].get(2);
        long k = config.dimensions();
        if (k > Math.min(p, q)) {
            throw new IllegalArgumentException("model.dimensions " + k + " exceeds the smaller side's sample size "
                    + Math.min(p, q) + " at " + config.level().name().toLowerCase(java.util.Locale.ROOT) + " level");
        }
        videoMean.setShape(new Shape(p));
        videoProjection.setShape(new Shape(p, k));
        audioMean.setShape(new Shape(q));
        audioProjection.setShape(new Shape(q, k));
        correlations.setShape(new Shape(k));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}

    @Override
    public boolean fitsInClosedForm() {
        return true;
    }

    /** {@link #fit}, then the canonical correlations as a line. */
    @Override
    public String fitClosedForm(NDArray video, NDArray audio) {
        fit(video, audio);
        float[] rho = correlations();
        return String.format(java.util.Locale.ROOT, "cca, canonical correlations %.3f, %.3f, %.3f ... %.3f", rho[0],
                rho[Math.min(1, rho.length - 1)], rho[Math.min(2, rho.length - 1)], rho[rho.length - 1]);
    }

    /** The canonical correlations {@code ρ} of the fitted directions, largest first. */
    public float[] correlations() {
        return correlations.getArray().toFloatArray();
    }

    private NDArray encode(ParameterStore ps, NDArray x, Parameter mean, Parameter projection) {
        long b = x.getShape().get(0);
        long frames = x.getShape().get(1);
        boolean frame = config.frameLevel();
        NDArray samples = frame ? x : x.reshape(b, -1); // [b, frames, dim] or [b, frames·dim]
        NDArray z = samples.sub(ps.getValue(mean, x.getDevice(), false)).matMul(ps.getValue(projection, x.getDevice(), false));
        NDArray rho = ps.getValue(correlations, x.getDevice(), false);
        if (config.correlationPower() != 0) {
            z = z.mul(rho.maximum(0f).pow((float) (config.correlationPower() / 2)));
        }
        int last = frame ? 2 : 1;
        z = z.div(z.norm(new int[] {last}, true).maximum(1e-12f));
        return frame ? Scalars.over(z.reshape(b, -1), (float) Math.sqrt(frames)) : z;
    }

    @Override
    public NDArray encodeVideo(ParameterStore ps, NDArray video, boolean training) {
        return encode(ps, video, videoMean, videoProjection);
    }

    @Override
    public NDArray encodeAudio(ParameterStore ps, NDArray audio, boolean training) {
        return encode(ps, audio, audioMean, audioProjection);
    }

    @Override
    public NDArray fuse(ParameterStore ps, NDArray videoCodes, NDArray audioCodes, boolean training) {
        return videoCodes.mul(audioCodes).sum(new int[] {1});
    }

    @Override
    public NDArray scoreMatrix(ParameterStore ps, NDArray videoCodes, NDArray audioCodes) {
        return videoCodes.matMul(audioCodes.transpose());
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray video, NDArray audio, NDArray labels, Random random) {
        throw new UnsupportedOperationException("the cca model is fitted in closed form (CcaModel.fit), not by gradients");
    }

    /**
     * Fits the projections on the (normalized) training clips {@code video [n, frames, videoDim]} and
     * {@code audio [n, frames, audioDim]} (the samples are the clips or, at frame level, their
     * {@code n · frames} seconds), replacing the parameters. Temporary arrays live in a
     * sub-manager of the inputs' manager and are freed on return.
     */
    public void fit(NDArray video, NDArray audio) {
        long n = video.getShape().get(0);
        if (n < 2 || audio.getShape().get(0) != n) {
            throw new IllegalArgumentException("cca needs at least 2 aligned pairs, got " + n + " videos and "
                    + audio.getShape().get(0) + " audios");
        }
        int k = config.dimensions();
        try (NDManager m = video.getManager().newSubManager()) {
            boolean frame = config.frameLevel();
            NDArray x = samples(video, frame, m); // [samples, p]
            NDArray y = samples(audio, frame, m); // [samples, q]
            long samples = x.getShape().get(0);
            NDArray mx = x.mean(new int[] {0});
            NDArray my = y.mean(new int[] {0});
            x = x.sub(mx);
            y = y.sub(my);
            boolean videoLarger = x.getShape().get(1) >= y.getShape().get(1);
            NDArray large = videoLarger ? x : y;
            NDArray small = videoLarger ? y : x;
            NDArray cll = ridge(large.transpose().matMul(large).div(samples));
            NDArray css = ridge(small.transpose().matMul(small).div(samples));
            NDArray csl = small.transpose().matMul(large).div(samples); // [q, p]
            NDArray cslCllInv = csl.matMul(cll.inverse()); // [q, p] = Csl Cll⁻¹
            NDArray inner = cslCllInv.matMul(csl.transpose()); // [q, q] = Csl Cll⁻¹ Cls
            SymmetricEigen cssEigen = SymmetricEigen.of(matrix(css));
            double[] invSqrt = java.util.Arrays.stream(cssEigen.values()).map(w -> 1 / Math.sqrt(w)).toArray();
            NDArray basis = m.create(flatten(cssEigen.vectors()), new Shape(invSqrt.length, invSqrt.length)); // rows = eigvecs
            NDArray whiten = basis.transpose().mul(m.create(invSqrt).reshape(1, -1)).matMul(basis); // Css^{-1/2}
            NDArray t = whiten.matMul(inner).matMul(whiten);
            t = Scalars.over(t.add(t.transpose()), 2);
            SymmetricEigen tEigen = SymmetricEigen.of(matrix(t));
            int q = tEigen.values().length;
            double[] rho = new double[k];
            double[] topVectors = new double[q * k]; // [q, k]
            for (int j = 0; j < k; j++) {
                rho[j] = Math.sqrt(Math.max(0, Math.min(1, tEigen.values()[j])));
                for (int i = 0; i < q; i++) {
                    topVectors[i * k + j] = tEigen.vectors()[j][i];
                }
            }
            NDArray bSmall = whiten.matMul(m.create(topVectors, new Shape(q, k))); // [q, k]
            double[] invRho = java.util.Arrays.stream(rho).map(r -> r > 1e-12 ? 1 / r : 0).toArray();
            NDArray bLarge = cslCllInv.transpose().matMul(bSmall).mul(m.create(invRho).reshape(1, -1)); // [p, k]
            setArray(videoMean, mx);
            setArray(audioMean, my);
            setArray(videoProjection, videoLarger ? bLarge : bSmall);
            setArray(audioProjection, videoLarger ? bSmall : bLarge);
            setArray(correlations, m.create(rho));
        }
    }

    /** The CCA samples of clips {@code [n, frames, dim]}, float64 in {@code m}: {@code [n·frames, dim]} or {@code [n, frames·dim]}. */
    private static NDArray samples(NDArray clips, boolean frame, NDManager m) {
        NDArray rows = frame ? clips.reshape(-1, clips.getShape().get(2)) : clips.reshape(clips.getShape().get(0), -1);
        rows.attach(m);
        return rows.toType(DataType.FLOAT64, false);
    }

    private NDArray ridge(NDArray c) {
        long p = c.getShape().get(0);
        double meanEigenvalue = c.diagonal().sum().getDouble() / p;
        return c.add(c.getManager().eye((int) p, (int) p, 0, DataType.FLOAT64).mul(config.regularization() * meanEigenvalue));
    }

    private static void setArray(Parameter parameter, NDArray value) {
        NDArray target = parameter.getArray();
        if (!target.getShape().equals(value.getShape())) {
            throw new IllegalStateException(parameter.getName() + ": fitted " + value.getShape() + ", expected "
                    + target.getShape());
        }
        target.set(value.toType(DataType.FLOAT32, false).toFloatArray());
    }

    private static double[][] matrix(NDArray a) {
        int rows = (int) a.getShape().get(0);
        int cols = (int) a.getShape().get(1);
        double[] flat = a.toDoubleArray();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    private static double[] flatten(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] out = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * cols, cols);
        }
        return out;
    }
}
