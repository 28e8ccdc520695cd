package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * NetFV (seed 002's learnable Fisher vector), {@code [batch, frames, dim]} → {@code [batch,
 * 2·dim·clusters]}: with soft assignments {@code a_tk} (masked), centres {@code c_k} and learned
 * scales {@code σ_k = s_k² + ε}, the first-order part {@code Σ_t a_tk (x_t − c_k) / σ_k} and the
 * second-order part {@code Σ_t a_tk ((x_t − c_k)² / σ_k² − 1)}, each intra- and L2-normalized,
 * then concatenated and L2-normalized.
 */
final class NetFvPooling extends TemporalPooling {
    private static final float EPS = 1e-6f;
    private final int dim;
    private final int clusters;
    private final Linear assignment;
    private final Parameter centres;
    private final Parameter scales;

    NetFvPooling(int dim, int clusters) {
        this.dim = dim;
        this.clusters = clusters;
        assignment = addChildBlock("assignment", Linear.builder().setUnits(clusters).build());
        centres = addParameter(Parameter.builder().setName("centres").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, dim, clusters)).optInitializer(new NormalInitializer(0.1f)).build());
        scales = addParameter(Parameter.builder().setName("scales").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1, dim, clusters)).optInitializer(new ConstantInitializer(1f)).build());
    }

    @Override
    public int outputDim() {
        return 2 * dim * clusters;
    }

    @Override
    public NDArray pool(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        long b = x.getShape().get(0);
        NDArray a = assignment.forward(ps, new NDList(x), training).singletonOrThrow().softmax(-1)
                .mul(mask.expandDims(-1)); // [b, f, K]
        NDArray aT = a.transpose(0, 2, 1); // [b, K, f]
        NDArray c = ps.getValue(centres, x.getDevice(), training); // [1, d, K]
        NDArray sigma = ps.getValue(scales, x.getDevice(), training).square().add(EPS); // [1, d, K]
        NDArray aSum = a.sum(new int[] {1}, true); // [b, 1, K]
        NDArray sx = aT.matMul(x).transpose(0, 2, 1); // Σ a x      [b, d, K]
        NDArray sxx = aT.matMul(x.square()).transpose(0, 2, 1); // Σ a x² [b, d, K]
        NDArray first = sx.sub(aSum.mul(c)).div(sigma);
        // Σ a (x − c)² = Σ a x² − 2 c Σ a x + c² Σ a
        NDArray second = sxx.sub(Scalars.times(sx.mul(c), 2f)).add(aSum.mul(c.square())).div(sigma.square()).sub(aSum);
        first = NetVladPooling.l2Normalize(NetVladPooling.l2Normalize(first, 1).reshape(b, (long) dim * clusters), 1);
        second = NetVladPooling.l2Normalize(NetVladPooling.l2Normalize(second, 1).reshape(b, (long) dim * clusters), 1);
        return NetVladPooling.l2Normalize(NDArrays.concat(new NDList(first, second), 1), 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        assignment.initialize(manager, dataType, inputShapes[0]);
    }
}
