package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.Random;

/**
 * Seed 001's baseline: each modality's {@code [batch, frames, dim]} features seen as a one-channel
 * image {@code [batch, 1, frames, dim]}, through {@code convLayers} stages of 2-D conv → batch norm →
 * ReLU → max-pool(2×2), flattened and mapped to an embedding {@code [batch, embedding]}; the two
 * embeddings go "side by side" into a fully connected head (FC → ReLU → dropout → FC → sigmoid).
 *
 * <p>Factorized: the head's first layer on the concatenation {@code [e_v; e_a]} is {@code W_v e_v +
 * W_a e_a + b}, so the video code is {@code W_v e_v} {@code [batch, fcHidden]}, the audio code
 * {@code W_a e_a + b}, and a pair costs one add, ReLU and dot. With {@link PairLoss#CONTRASTIVE} the
 * codes are the embeddings themselves and the score is {@code −‖e_v − e_a‖}.
 */
public final class TwoStreamCnnModel extends MatchingModel {
    private final TwoStreamCnnConfig config;
    private final SequentialBlock videoCnn;
    private final SequentialBlock audioCnn;
    private final Linear videoOut;
    private final Linear audioOut;
    private final Linear videoHead;
    private final Linear audioHead;
    private final Linear head;

    TwoStreamCnnModel(TwoStreamCnnConfig config) {
        this.config = config;
        videoCnn = addChildBlock("videoCnn", cnn(config));
        audioCnn = addChildBlock("audioCnn", cnn(config));
        videoOut = addChildBlock("videoOut", Linear.builder().setUnits(config.embedding()).build());
        audioOut = addChildBlock("audioOut", Linear.builder().setUnits(config.embedding()).build());
        boolean fc = config.loss() == PairLoss.BCE;
        videoHead = fc ? addChildBlock("videoHead", Linear.builder().setUnits(config.fcHidden()).optBias(false).build()) : null;
        audioHead = fc ? addChildBlock("audioHead", Linear.builder().setUnits(config.fcHidden()).build()) : null;
        head = fc ? addChildBlock("head", Linear.builder().setUnits(1).build()) : null;
    }

    private static SequentialBlock cnn(TwoStreamCnnConfig config) {
        SequentialBlock block = new SequentialBlock();
        int k = config.convKernel();
        for (int i = 0; i < config.convLayers(); i++) {
            block.add(Conv2d.builder().setKernelShape(new Shape(k, k)).setFilters(config.channels())
                            .optPadding(new Shape(k / 2, k / 2)).build())
                    .add(BatchNorm.builder().build())
                    .add(ai.djl.nn.Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        return block;
    }

    private NDArray embed(SequentialBlock cnn, Linear out, ParameterStore ps, NDArray x, boolean training) {
        NDArray c = cnn.forward(ps, new NDList(x.expandDims(1)), training).singletonOrThrow();
        NDArray e = out.forward(ps, new NDList(c.reshape(c.getShape().get(0), -1)), training).singletonOrThrow();
        return Layers.dropout(e, config.dropout(), training);
    }

    @Override
    public NDArray encodeVideo(ParameterStore ps, NDArray x, boolean training) {
        NDArray e = embed(videoCnn, videoOut, ps, x, training);
        return videoHead == null ? e : videoHead.forward(ps, new NDList(e), training).singletonOrThrow();
    }

    @Override
    public NDArray encodeAudio(ParameterStore ps, NDArray x, boolean training) {
        NDArray e = embed(audioCnn, audioOut, ps, x, training);
        return audioHead == null ? e : audioHead.forward(ps, new NDList(e), training).singletonOrThrow();
    }

    /** Match logits {@code [batch]} (BCE) or distances {@code [batch]} (contrastive) of aligned codes. */
    private NDArray raw(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        if (head == null) {
            return v.sub(a).square().sum(new int[] {-1}).add(1e-12f).sqrt();
        }
        NDArray h = Layers.dropout(ai.djl.nn.Activation.relu(v.add(a)), config.dropout(), training);
        return head.forward(ps, new NDList(h), training).singletonOrThrow().squeeze(-1);
    }

    @Override
    protected NDArray pairLogits(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        return head == null ? null : raw(ps, v, a, training);
    }

    @Override
    public NDArray fuse(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        NDArray r = raw(ps, v, a, training);
        return head == null ? r.neg() : ai.djl.nn.Activation.sigmoid(r);
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray videoBatch, NDArray audioBatch, NDArray labels, Random random) {
        if (config.loss() == PairLoss.BCE) {
            return pairClassificationLoss(ps, videoBatch, audioBatch, config.negativesPerPositive(), 0, random);
        }
        NDArray v = encodeVideo(ps, videoBatch, true);
        NDArray a = encodeAudio(ps, audioBatch, true);
        NDArray positive = raw(ps, v, a, true).square(); // d² of true pairs
        NDList negatives = new NDList();
        for (int offset : negativeOffsets((int) v.getShape().get(0), config.negativesPerPositive(), random)) {
            NDArray d = raw(ps, v, rollRows(a, offset), true);
            negatives.add(Scalars.atLeast(d.neg().add(config.margin().floatValue()), 0f).square());
        }
        NDArray all = NDArrays.concat(new NDList(positive).addAll(negatives), 0);
        return Scalars.over(all.mean(), 2f);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape e = initStream(videoCnn, videoOut, manager, dataType, inputShapes[0]);
        initStream(audioCnn, audioOut, manager, dataType, inputShapes[1]);
        if (head != null) {
            videoHead.initialize(manager, dataType, e);
            audioHead.initialize(manager, dataType, e);
            head.initialize(manager, dataType, new Shape(e.get(0), config.fcHidden()));
        }
    }

    private Shape initStream(SequentialBlock cnn, Linear out, NDManager manager, DataType dataType, Shape in) {
        Shape image = new Shape(in.get(0), 1, in.get(1), in.get(2));
        cnn.initialize(manager, dataType, image);
        Shape c = cnn.getOutputShapes(new Shape[] {image})[0];
        if (c.get(2) < 1 || c.get(3) < 1) {
            throw new IllegalArgumentException("model.convLayers = " + config.convLayers()
                    + " pools " + in.get(1) + " frames × " + in.get(2) + " features down to nothing");
        }
        Shape flat = new Shape(in.get(0), c.get(1) * c.get(2) * c.get(3));
        out.initialize(manager, dataType, flat);
        return new Shape(in.get(0), config.embedding());
    }
}
