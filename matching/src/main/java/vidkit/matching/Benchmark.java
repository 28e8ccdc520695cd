package vidkit.matching;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import vidkit.data.FeatureNormalizer;
import vidkit.data.FeatureSet;
import vidkit.eval.SimilarityMatrix;
import vidkit.nn.MatchingModel;

/**
 * Throughput of a model configuration on random features (speed does not depend on the weights):
 * scoring N videos × M audios end to end (N + M encoder passes, then fusion), and training steps
 * (for the closed-form {@code cca}: one fit on min(N, M) pairs, reported as samples/s of that fit).
 * Timings are medians of repeated runs after a warm-up; they belong in benchmarks, not tests.
 */
public final class Benchmark {
    private Benchmark() {}

    /**
     * @param scoringPairsPerSecond median pairs/s of a full N×M scoring
     * @param scoringSeconds the runs' times
     * @param trainingSamplesPerSecond median true pairs/s of training steps (forward, backward, update)
     */
    public record Result(String model, int videos, int audios, double scoringPairsPerSecond, double[] scoringSeconds,
            int batchSize, double trainingSamplesPerSecond) {}

    /**
     * Builds an optimizer for a model, whose update takes the learning rate: the training loop's
     * (the bench command passes the trainer's Adam), so the steps timed are the ones training takes.
     */
    public interface Optimizers {
        java.util.function.DoubleConsumer of(ai.djl.nn.Block model, NDManager manager);
    }

    public static Result run(MatchingConfig config, int n, int m, int frames, int videoDim, int audioDim, int repeats,
            int trainSteps, Optimizers optimizers) {
        Random random = new Random(1);
        FeatureSet videos = randomSet(n, frames, videoDim, random);
        FeatureSet audios = randomSet(m, frames, audioDim, random);
        try (NDManager root = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            MatchingState state = new MatchingState(frames, videoDim, audioDim, 0, identity(videoDim), identity(audioDim));
            MatchingModel model = TrainedMatcher.newModel(config, root, state);
            TrainedMatcher matcher = new TrainedMatcher(root, model, config, state, null);
            matcher.scoreNormalized(videos, audios); // warm-up
            double[] seconds = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                SimilarityMatrix s = matcher.scoreNormalized(videos, audios);
                seconds[r] = (System.nanoTime() - t0) / 1e9;
                if (s.rows() != n) {
                    throw new AssertionError();
                }
            }
            double scoring = (double) n * m / median(seconds);

            if (model.fitsInClosedForm()) { // one fit on min(N, M) pairs is its "training"
                int[] pairs = java.util.stream.IntStream.range(0, Math.min(n, m)).toArray();
                double fitSeconds = MatchingTask.fit(model, root, videos.select(pairs), audios.select(pairs), new String[1]);
                return new Result(config.model().typeName(), n, m, scoring, seconds, pairs.length, pairs.length / fitSeconds);
            }
            int batch = config.batchSize();
            ParameterStore ps = new ParameterStore(root, false);
            java.util.function.DoubleConsumer optimizer = optimizers.of(model, root);
            double[] stepSeconds = new double[trainSteps];
            for (int step = -2; step < trainSteps; step++) {
                try (NDManager bm = root.newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long t0 = System.nanoTime();
                    NDArray v = bm.randomNormal(new Shape(batch, frames, videoDim));
                    NDArray a = bm.randomNormal(new Shape(batch, frames, audioDim));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(model.loss(ps, v, a, null, random));
                    }
                    optimizer.accept(1e-4);
                    if (step >= 0) {
                        stepSeconds[step] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            return new Result(config.model().typeName(), n, m, scoring, seconds, batch, batch / median(stepSeconds));
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static FeatureNormalizer identity(int dim) {
        float[] mean = new float[dim];
        float[] std = new float[dim];
        Arrays.fill(std, 1f);
        return new FeatureNormalizer(mean, std);
    }

    private static FeatureSet randomSet(int count, int frames, int dim, Random random) {
        float[] v = new float[count * frames * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Integer.toString(i));
        }
        return new FeatureSet(Path.of("random"), ids, frames, dim, v, "random");
    }
}
