package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * NetVLAD / NetRVLAD pooling (seed 002's learnable pooling), {@code [batch, frames, dim]} → {@code
 * [batch, clusters·dim]}:
 *
 * <pre>
 *   a_tk  = softmax_k(w_kᵀ x_t + b_k) · mask_t             soft assignment [batch, frames, clusters]
 *   V_dk  = Σ_t a_tk (x_td − c_dk)                          (NetRVLAD: Σ_t a_tk x_td)
 *   V     = L2-normalize each column V_·k, flatten, L2-normalize
 * </pre>
 *
 * Masked frames have zero assignment, so padding changes nothing. With {@code projection > 0} the
 * frames first pass through a linear map to that width.
 */
final class NetVladPooling extends TemporalPooling {
    private final int dim;
    private final int clusters;
    private final boolean residuals;
    private final Linear projection;
    private final Linear assignment;
    private final Parameter centres;

    NetVladPooling(int inDim, int clusters, boolean residuals, int projection) {
        this.dim = projection > 0 ? projection : inDim;
        this.clusters = clusters;
        this.residuals = residuals;
        this.projection = projection > 0 ? addChildBlock("projection", Linear.builder().setUnits(projection).build()) : null;
        this.assignment = addChildBlock("assignment", Linear.builder().setUnits(clusters).build());
        this.centres = residuals
                ? addParameter(Parameter.builder().setName("centres").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(1, dim, clusters)).optInitializer(new NormalInitializer(0.1f)).build())
                : null;
    }

    @Override
    public int outputDim() {
        return dim * clusters;
    }

    static NDArray l2Normalize(NDArray x, int axis) {
        return x.div(x.square().sum(new int[] {axis}, true).add(1e-12f).sqrt());
    }

    @Override
    public NDArray pool(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        if (projection != null) {
            x = projection.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray a = assignment.forward(ps, new NDList(x), training).singletonOrThrow().softmax(-1)
                .mul(mask.expandDims(-1)); // [b, f, K]
        NDArray vlad = a.transpose(0, 2, 1).matMul(x).transpose(0, 2, 1); // [b, d, K]
        if (residuals) {
            NDArray c = ps.getValue(centres, x.getDevice(), training); // [1, d, K]
            vlad = vlad.sub(a.sum(new int[] {1}, true).mul(c)); // Σ_t a_tk c_dk
        }
        vlad = l2Normalize(vlad, 1);
        return l2Normalize(vlad.reshape(x.getShape().get(0), (long) dim * clusters), 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        if (projection != null) {
            projection.initialize(manager, dataType, s);
            s = new Shape(s.get(0), s.get(1), dim);
        }
        assignment.initialize(manager, dataType, s);
    }
}
