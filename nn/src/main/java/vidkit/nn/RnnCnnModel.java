package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seed 001's cross model: two-stream LSTMs, concatenated, a residual recurrent stack, a temporal
 * CNN and fully connected layers.
 *
 * <ul>
 *   <li>Video code {@code [batch, frames, hidden]}: an LSTM over the video features; audio code
 *       likewise with its own LSTM. These run once per item.
 *   <li>Fusion per pair: concatenate to {@code [batch, frames, 2·hidden]}; each residual block adds
 *       {@code LSTM(dropout(x))} to {@code x}; then {@code convLayers} stages of conv → batch norm →
 *       ReLU → max-pool(2) over time on {@code [batch, channels, frames]}; flatten; FC → ReLU →
 *       dropout → FC to one logit. The score is the match probability {@code sigmoid(logit)}.
 * </ul>
 *
 * <p>Loss: binary cross-entropy with {@code negativesPerPositive} negatives per true pair, each
 * video paired with another clip's audio of the same batch. Unlike {@link LocalMixModel} the
 * fusion is itself recurrent, so scoring costs an LSTM pass per pair: it suits re-ranking a short
 * list, not scoring a whole library.
 */
public final class RnnCnnModel extends MatchingModel {
    private final RnnCnnConfig config;
    private final BidirectionalRecurrent videoLstm;
    private final BidirectionalRecurrent audioLstm;
    private final List<BidirectionalRecurrent> residual = new ArrayList<>();
    private final SequentialBlock cnn = new SequentialBlock();
    private final Linear fc1;
    private final Linear fc2;

    RnnCnnModel(RnnCnnConfig config) {
        this.config = config;
        videoLstm = addChildBlock("videoLstm", new BidirectionalRecurrent(RecurrentKind.LSTM, config.hidden(), 1, false, 0f));
        audioLstm = addChildBlock("audioLstm", new BidirectionalRecurrent(RecurrentKind.LSTM, config.hidden(), 1, false, 0f));
        for (int i = 0; i < config.residualLayers(); i++) {
            residual.add(addChildBlock("residual" + i,
                    new BidirectionalRecurrent(RecurrentKind.LSTM, 2 * config.hidden(), 1, false, 0f)));
        }
        for (int i = 0; i < config.convLayers(); i++) {
            cnn.add(Conv1d.builder().setKernelShape(new Shape(config.convKernel())).setFilters(config.convChannels())
                            .optPadding(new Shape(config.convKernel() / 2)).build())
                    .add(BatchNorm.builder().build())
                    .add(ai.djl.nn.Activation::relu)
                    .add(Pool.maxPool1dBlock(new Shape(2), new Shape(2)));
        }
        addChildBlock("cnn", cnn);
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(config.fcHidden()).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(1).build());
    }

    private NDArray dropout(NDArray x, boolean training) {
        return Layers.dropout(x, config.dropout(), training);
    }

    @Override
    public NDArray encodeVideo(ParameterStore ps, NDArray x, boolean training) {
        return videoLstm.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public NDArray encodeAudio(ParameterStore ps, NDArray x, boolean training) {
        return audioLstm.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Match logits {@code [batch]} of aligned codes. */
    @Override
    protected NDArray pairLogits(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        NDArray x = NDArrays.concat(new NDList(v, a), 2); // [batch, frames, 2·hidden]
        for (BidirectionalRecurrent block : residual) {
            x = x.add(block.forward(ps, new NDList(dropout(x, training)), training).singletonOrThrow());
        }
        NDArray c = cnn.forward(ps, new NDList(x.transpose(0, 2, 1)), training).singletonOrThrow(); // [b, ch, t']
        NDArray h = ai.djl.nn.Activation.relu(fc1.forward(ps, new NDList(c.reshape(c.getShape().get(0), -1)), training)
                .singletonOrThrow());
        return fc2.forward(ps, new NDList(dropout(h, training)), training).singletonOrThrow().squeeze(-1);
    }

    @Override
    public NDArray fuse(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        return ai.djl.nn.Activation.sigmoid(pairLogits(ps, v, a, training));
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray videoBatch, NDArray audioBatch, NDArray labels, Random random) {
        return pairClassificationLoss(ps, videoBatch, audioBatch, config.negativesPerPositive(), 0, random);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        videoLstm.initialize(manager, dataType, inputShapes[0]);
        audioLstm.initialize(manager, dataType, inputShapes[1]);
        long batch = inputShapes[0].get(0);
        long frames = inputShapes[0].get(1);
        Shape fused = new Shape(batch, frames, 2L * config.hidden());
        for (BidirectionalRecurrent block : residual) {
            block.initialize(manager, dataType, fused);
        }
        Shape cnnIn = new Shape(batch, 2L * config.hidden(), frames);
        cnn.initialize(manager, dataType, cnnIn);
        Shape cnnOut = cnn.getOutputShapes(new Shape[] {cnnIn})[0];
        fc1.initialize(manager, dataType, new Shape(batch, cnnOut.get(1) * cnnOut.get(2)));
        fc2.initialize(manager, dataType, new Shape(batch, config.fcHidden()));
    }
}
