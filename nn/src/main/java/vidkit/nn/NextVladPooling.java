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
 * NeXtVLAD pooling (Lin, Xiao and Fan 2018), {@code [batch, frames, dim]} → {@code [batch,
 * clusters·expansion·dim/groups]}: each frame is expanded to {@code λ·dim} ({@code λ} =
 * expansion) and split into {@code G} groups of {@code λ·dim/G}; each group-frame gets a soft
 * cluster assignment weighted by a sigmoid group attention; VLAD residuals are summed over all
 * group-frames, then L2-normalized. Masked frames have zero weight.
 */
final class NextVladPooling extends TemporalPooling {
    private final int clusters;
    private final int groups;
    private final int groupDim;
    private final Linear expand;
    private final Linear attention;
    private final Linear assignment;
    private final Parameter centres;

    NextVladPooling(int inDim, int clusters, int expansion, int groups) {
        if ((expansion * inDim) % groups != 0) {
            throw new IllegalArgumentException("model.pooling.groups = " + groups + " must divide expansion × dim = "
                    + expansion * inDim);
        }
        this.clusters = clusters;
        this.groups = groups;
        this.groupDim = expansion * inDim / groups;
        expand = addChildBlock("expand", Linear.builder().setUnits((long) expansion * inDim).build());
        attention = addChildBlock("attention", Linear.builder().setUnits(groups).build());
        assignment = addChildBlock("assignment", Linear.builder().setUnits((long) groups * clusters).build());
        centres = addParameter(Parameter.builder().setName("centres").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, groupDim, clusters)).optInitializer(new NormalInitializer(0.1f)).build());
    }

    @Override
    public int outputDim() {
        return groupDim * clusters;
    }

    @Override
    public NDArray pool(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        long b = x.getShape().get(0);
        long f = x.getShape().get(1);
        NDArray e = expand.forward(ps, new NDList(x), training).singletonOrThrow(); // [b, f, λd]
        NDArray att = ai.djl.nn.Activation.sigmoid(attention.forward(ps, new NDList(e), training).singletonOrThrow())
                .mul(mask.expandDims(-1)); // [b, f, G]
        NDArray a = assignment.forward(ps, new NDList(e), training).singletonOrThrow()
                .reshape(b, f * groups, clusters).softmax(-1)
                .mul(att.reshape(b, f * groups, 1)); // [b, f·G, K]
        NDArray xg = e.reshape(b, f * groups, groupDim); // [b, f·G, λd/G]
        NDArray vlad = a.transpose(0, 2, 1).matMul(xg).transpose(0, 2, 1); // [b, λd/G, K]
        NDArray c = ps.getValue(centres, x.getDevice(), training);
        vlad = vlad.sub(a.sum(new int[] {1}, true).mul(c));
        vlad = NetVladPooling.l2Normalize(vlad, 1);
        return NetVladPooling.l2Normalize(vlad.reshape(b, (long) groupDim * clusters), 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        expand.initialize(manager, dataType, s);
        Shape e = new Shape(s.get(0), s.get(1), (long) groupDim * groups);
        attention.initialize(manager, dataType, e);
        assignment.initialize(manager, dataType, e);
    }
}
