package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Random;

/**
 * An audio–visual matching model, factorized for retrieval: each video and each audio is encoded
 * once ({@link #encodeVideo}, {@link #encodeAudio}); only {@link #fuse} runs per pair. Scores are
 * "higher = more likely the same clip"; their scale is model-specific (a probability for cross
 * models, a scaled cosine for the two-tower model).
 *
 * <p>As a DJL block its forward takes {@code (video [batch, frames, videoDim], audio [batch, frames,
 * audioDim])} and returns the aligned pair scores {@code [batch]}.
 */
public abstract class MatchingModel extends AbstractBlock {
    /** Pairs per fusion chunk in {@link #scoreMatrix}: bounds memory to a few hundred MB. */
    private static final long PAIR_ELEMENTS_PER_CHUNK = 1L << 24;

    protected MatchingModel() {
        super((byte) 1);
    }

    /** {@code [batch, frames, videoDim]} → the per-video code (model-specific shape, batch first). */
    public abstract NDArray encodeVideo(ParameterStore ps, NDArray video, boolean training);

    /** {@code [batch, frames, audioDim]} → the per-audio code (model-specific shape, batch first). */
    public abstract NDArray encodeAudio(ParameterStore ps, NDArray audio, boolean training);

    /**
     * Scores of aligned pairs: codes {@code [batch, ...]} and {@code [batch, ...]} → {@code [batch]}.
     */
    public abstract NDArray fuse(ParameterStore ps, NDArray videoCodes, NDArray audioCodes, boolean training);

    /**
     * The training loss for a batch of true pairs {@code [batch, frames, dim]}; a scalar.
     *
     * @param labels the pairs' event classes {@code [batch]} (int64), or {@code null} without labels
     */
    public abstract NDArray loss(ParameterStore ps, NDArray video, NDArray audio, NDArray labels, Random random);

    /**
     * Whether the model is fitted in closed form by {@link #fitClosedForm} rather than trained by
     * gradient steps on {@link #loss} (a capability of the model; the training loop asks, it does
     * not test the class).
     */
    public boolean fitsInClosedForm() {
        return false;
    }

    /**
     * Fits the model in closed form on whole training sets {@code video [n, frames, videoDim]} and
     * {@code audio [n, frames, audioDim]} (aligned by clip); returns a line describing the fit.
     */
    public String fitClosedForm(NDArray video, NDArray audio) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is trained by gradient steps");
    }

    /** Mean softmax cross-entropy of {@code logits [batch, classes]} against int labels {@code [batch]}. */
    protected static NDArray crossEntropy(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray oneHot = labels.oneHot((int) classes, logits.getDataType());
        return Scalars.over(logits.logSoftmax(1).mul(oneHot).sum(), -logits.getShape().get(0));
    }

    /**
     * Scores of every pair: codes {@code [n, ...]} × {@code [m, ...]} → {@code [n, m]}. The default
     * broadcasts in chunks through {@link #fuse}; models with a cheaper form override it.
     */
    public NDArray scoreMatrix(ParameterStore ps, NDArray videoCodes, NDArray audioCodes) {
        long n = videoCodes.getShape().get(0);
        long m = audioCodes.getShape().get(0);
        long perPair = Math.max(1, videoCodes.getShape().size() / Math.max(1, n));
        long rowsPerChunk = Math.max(1, PAIR_ELEMENTS_PER_CHUNK / (perPair * Math.max(1, m)));
        NDList rows = new NDList();
        for (long r = 0; r < n; r += rowsPerChunk) {
            long end = Math.min(n, r + rowsPerChunk);
            NDArray v = videoCodes.get(new NDIndex("{}:{}", r, end));
            long k = end - r;
            NDArray vRep = repeatEach(v, m);
            NDArray aRep = tile(audioCodes, k);
            rows.add(fuse(ps, vRep, aRep, false).reshape(k, m));
        }
        return rows.size() == 1 ? rows.get(0) : NDArrays.concat(rows, 0);
    }

    /** {@code [k, ...]} → {@code [k·times, ...]}, each row repeated {@code times} times in place. */
    protected static NDArray repeatEach(NDArray x, long times) {
        Shape s = x.getShape();
        long[] expanded = new long[s.dimension() + 1];
        expanded[0] = s.get(0);
        expanded[1] = times;
        for (int i = 1; i < s.dimension(); i++) {
            expanded[i + 1] = s.get(i);
        }
        long[] out = s.getShape().clone();
        out[0] = s.get(0) * times;
        return x.expandDims(1).broadcast(new Shape(expanded)).reshape(new Shape(out));
    }

    /** {@code [m, ...]} → {@code [m·times, ...]}, the whole array repeated {@code times} times. */
    protected static NDArray tile(NDArray x, long times) {
        long[] reps = new long[x.getShape().dimension()];
        java.util.Arrays.fill(reps, 1);
        reps[0] = times;
        return x.tile(reps);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray v = encodeVideo(ps, inputs.get(0), training);
        NDArray a = encodeAudio(ps, inputs.get(1), training);
        return new NDList(fuse(ps, v, a, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0))};
    }

    @Override
    protected abstract void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes);

    /**
     * The loss of a cross model that classifies pairs: the batch's true pairs (label 1) and {@code
     * negatives} × batch shuffled pairs (label 0, each video with another clip's audio of the batch),
     * scored by {@link #pairLogits} where the model has them, else by {@link #fuse} as probabilities, under the focal loss with exponent {@code gamma}
     * (0: binary cross-entropy).
     */
    protected NDArray pairClassificationLoss(ParameterStore ps, NDArray videoBatch, NDArray audioBatch, int negatives,
            double gamma, Random random) {
        NDArray v = encodeVideo(ps, videoBatch, true);
        NDArray a = encodeAudio(ps, audioBatch, true);
        int b = (int) v.getShape().get(0);
        NDList vs = new NDList(v);
        NDList as = new NDList(a);
        for (int offset : negativeOffsets(b, negatives, random)) {
            vs.add(v);
            as.add(rollRows(a, offset));
        }
        NDArray allV = NDArrays.concat(vs, 0);
        NDArray allA = NDArrays.concat(as, 0);
        NDManager m = allV.getManager();
        NDArray y = NDArrays.concat(new NDList(m.ones(new Shape(b)), m.zeros(new Shape((long) b * negatives))), 0);
        NDArray logits = pairLogits(ps, allV, allA, true);
        return logits != null ? Losses.focalFromLogits(logits, y, gamma) : Losses.focal(fuse(ps, allV, allA, true), y, gamma);
    }

    /**
     * For models whose score is {@code sigmoid(logit)}: the logits {@code [batch]} of aligned pairs,
     * so the loss is computed from logits (no saturated, clipped gradients); {@code null} (the
     * default) for models whose score is not a sigmoid of one logit.
     */
    protected NDArray pairLogits(ParameterStore ps, NDArray videoCodes, NDArray audioCodes, boolean training) {
        return null;
    }

    /** Random offsets in {@code 1..batch-1}: pairing i with (i+offset) mod batch is never a true pair. */
    protected static int[] negativeOffsets(int batch, int count, Random random) {
        if (batch < 2) {
            throw new IllegalArgumentException("need a batch of at least 2 pairs to make negatives");
        }
        int[] offsets = new int[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = 1 + random.nextInt(batch - 1);
        }
        return offsets;
    }

    /** Rows of {@code x [batch, ...]} rolled by {@code offset}: row i becomes row (i + offset) mod batch. */
    protected static NDArray rollRows(NDArray x, int offset) {
        return NDArrays.concat(new NDList(x.get(new NDIndex("{}:", offset)), x.get(new NDIndex(":{}", offset))), 0);
    }
}
