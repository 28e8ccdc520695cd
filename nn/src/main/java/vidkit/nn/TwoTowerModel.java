package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.Random;

/**
 * Two towers, one per modality, each mapping a clip to a unit vector {@code [batch, embedding]}.
 * The score of a pair is {@code s · cos(v, a)} with a learned scale {@code s = exp(logScale)} (the
 * inverse temperature, capped at 100), so retrieval over a library is one matrix product.
 *
 * <p>Loss: symmetric InfoNCE over in-batch negatives, {@code (CE(S, I) + CE(Sᵀ, I)) / 2} with
 * {@code S = s · V Aᵀ} {@code [batch, batch]}. With labels and {@code classWeight > 0}, a linear
 * classifier on each tower's unit vector adds {@code classWeight · (CE_video + CE_audio) / 2}, which
 * teaches both towers the event classes (a perfect class oracle alone reaches 50-way top-5 0.995 on
 * the course data); the classifiers play no part in scoring.
 */
public final class TwoTowerModel extends MatchingModel {
    static final float MAX_LOG_SCALE = (float) Math.log(100);
    private final Tower video;
    private final Tower audio;
    private final Parameter logScale;
    private final TwoTowerConfig config;
    private final Linear videoClasses;
    private final Linear audioClasses;

    TwoTowerModel(TwoTowerConfig config, int classes) {
        this.config = config;
        boolean classify = classes > 0 && config.classWeight() > 0;
        videoClasses = classify ? addChildBlock("videoClasses", Linear.builder().setUnits(classes).build()) : null;
        audioClasses = classify ? addChildBlock("audioClasses", Linear.builder().setUnits(classes).build()) : null;
        video = addChildBlock("video", new Tower(config));
        audio = addChildBlock("audio", new Tower(config));
        logScale = addParameter(Parameter.builder().setName("logScale").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(1 / config.initialTemperature())))
                .build());
    }

    @Override
    public NDArray encodeVideo(ParameterStore ps, NDArray x, boolean training) {
        return video.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public NDArray encodeAudio(ParameterStore ps, NDArray x, boolean training) {
        return audio.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private NDArray scale(ParameterStore ps, NDArray like, boolean training) {
        return ps.getValue(logScale, like.getDevice(), training).clip(-MAX_LOG_SCALE, MAX_LOG_SCALE).exp();
    }

    @Override
    public NDArray fuse(ParameterStore ps, NDArray v, NDArray a, boolean training) {
        return v.mul(a).sum(new int[] {1}).mul(scale(ps, v, training));
    }

    @Override
    public NDArray scoreMatrix(ParameterStore ps, NDArray v, NDArray a) {
        return v.matMul(a.transpose()).mul(scale(ps, v, false));
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray videoBatch, NDArray audioBatch, NDArray labels, Random random) {
        NDArray v = encodeVideo(ps, videoBatch, true);
        NDArray a = encodeAudio(ps, audioBatch, true);
        NDArray logits = v.matMul(a.transpose()).mul(scale(ps, v, true)); // [batch, batch]
        long b = logits.getShape().get(0);
        NDArray eye = logits.getManager().eye((int) b);
        // Scalars.over, not div(b): DJL's div(Number) frees the scalar its backward reads (see Scalars)
        NDArray rows = Scalars.over(logits.logSoftmax(1).mul(eye).sum(), b);
        NDArray cols = Scalars.over(logits.logSoftmax(0).mul(eye).sum(), b);
        NDArray loss = Scalars.over(rows.add(cols), -2);
        if (videoClasses != null && labels != null) {
            NDArray cv = crossEntropy(videoClasses.forward(ps, new NDList(v), true).singletonOrThrow(), labels);
            NDArray ca = crossEntropy(audioClasses.forward(ps, new NDList(a), true).singletonOrThrow(), labels);
            loss = loss.add(Scalars.times(cv.add(ca), (float) (config.classWeight() / 2)));
        }
        return loss;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        video.initialize(manager, dataType, inputShapes[0]);
        audio.initialize(manager, dataType, inputShapes[1]);
        if (videoClasses != null) {
            Shape e = new Shape(inputShapes[0].get(0), config.embedding());
            videoClasses.initialize(manager, dataType, e);
            audioClasses.initialize(manager, dataType, e);
        }
    }
}
