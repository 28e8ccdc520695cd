package vidkit.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import vidkit.data.AtomicFiles;
import vidkit.data.FeatureNormalizer;
import vidkit.data.FeatureSet;
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.data.Splitter;
import vidkit.eval.Retrieval;
import vidkit.eval.RetrievalReport;
import vidkit.eval.SimilarityMatrix;
import vidkit.nn.CcaModel;
import vidkit.nn.MatchingModel;

/**
 * Trains a matching model on a paired dataset and records everything in a {@link RunDirectory}.
 *
 * <p>Reproducibility: the model is initialized from the config's seed; epoch e reseeds the engine
 * (dropout, noise) and a {@link Random} (shuffling, negatives, time shifts) from {@code (seed, e)},
 * so the same seed and thread count give the same metrics, and a run resumed from the checkpoint of
 * epoch e continues exactly as the uninterrupted run would have.
 */
public final class MatchingTrainer {
    /** Draws of the course protocol in the per-epoch validation (the final evaluation uses the config's). */
    static final int EPOCH_DRAWS = 200;
    private static final String CSV_HEADER =
            "epoch,learning_rate,train_loss,validation_mrr,validation_top1,validation_top5,gradient_norm,samples_per_second,seconds";

    private MatchingTrainer() {}

    /** What a finished run reports. */
    public record Result(RunDirectory run, EvaluationResult evaluation, int epochsRun, double samplesPerSecond) {}

    /** Starts a new run under {@code runsRoot}. */
    public static Result train(TrainConfig config, Path runsRoot, String command, PrintStream out) throws IOException {
        RunDirectory run = RunDirectory.create(runsRoot, config.model().typeName());
        return run(config, run, null, command, out);
    }

    /** Continues {@code run} from its last complete checkpoint. */
    public static Result resume(RunDirectory run, String command, PrintStream out) throws IOException {
        Checkpoint last = Checkpoint.read(run.lastCheckpoint());
        return run(last.header().config(), run, last, command, out);
    }

    private static Result run(TrainConfig config, RunDirectory run, Checkpoint resume, String command, PrintStream out)
            throws IOException {
        Path dataDir = config.dataPath(null);
        PairedDataset data = PairedDataset.load(dataDir);
        Split split;
        if (resume == null) {
            split = Splitter.split(data, config.split());
            AtomicFiles.writeString(run.config(), Json.MAPPER.writeValueAsString(config));
            AtomicFiles.writeString(run.provenance(), Json.MAPPER.writeValueAsString(
                    Provenance.capture(config.seed(), dataDir, data.fingerprint(), command)));
            split.write(run.splitDir());
        } else {
            split = Split.read(run.splitDir());
        }
        PairedDataset train = data.selectIds(split.train());
        PairedDataset val = data.selectIds(split.validation());
        FeatureNormalizer vn = resume == null ? FeatureNormalizer.fit(train.video()) : resume.header().videoNormalizer();
        FeatureNormalizer an = resume == null ? FeatureNormalizer.fit(train.audio()) : resume.header().audioNormalizer();
        FeatureSet trainV = vn.apply(train.video());
        FeatureSet trainA = an.apply(train.audio());
        FeatureSet valV = vn.apply(val.video());
        FeatureSet valA = an.apply(val.audio());
        out.printf("run %s%n  data %s: %d clips [%d frames; video %d, audio %d]; train %d, validation %d%n",
                run.path(), dataDir, data.size(), data.frames(), data.video().dim(), data.audio().dim(),
                train.size(), val.size());

        int frames = data.frames();
        int vDim = data.video().dim();
        int aDim = data.audio().dim();
        int classes = data.labels() == null ? 0 : data.classNames().keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
        long[] trainLabels = null;
        if (train.labels() != null) {
            trainLabels = train.labels().stream().mapToLong(l -> l.label()).toArray();
        }
        List<String> csv = new ArrayList<>();
        csv.add(CSV_HEADER);
        try (NDManager root = NDManager.newBaseManager()) {
            TrainedMatcher.seedEngine(config.seed());
            MatchingModel model = TrainedMatcher.newModel(config, root, frames, vDim, aDim, classes);
            LearningRateSchedule schedule = new LearningRateSchedule(config.schedule(),
                    config.optimizer().learningRate(), config.epochs());
            CheckpointHeader template = new CheckpointHeader(Provenance.version(), config, -1, frames, vDim, aDim, classes,
                    vn, an, schedule.state(), -Double.MAX_VALUE, -1, 0);
            if (model instanceof CcaModel cca) { // fitted in closed form; a resumed cca run is simply refitted
                return fitClosedForm(cca, config, run, new TrainedMatcher(root, cca, template), trainV, trainA, valV, valA, csv,
                        out);
            }
            AdamOptimizer optimizer = new AdamOptimizer(config.optimizer(), model, root);
            int startEpoch = 0;
            double best = -Double.MAX_VALUE;
            int bestEpoch = -1;
            int stale = 0;
            if (resume != null) {
                CheckpointHeader h = resume.header();
                resume.restoreForTraining(model, root, optimizer);
                schedule.restore(h.schedule());
                startEpoch = h.epoch() + 1;
                best = h.bestMetric();
                bestEpoch = h.bestEpoch();
                stale = h.epochsWithoutImprovement();
                csv.addAll(run.metricsLines(startEpoch));
                out.printf("  resuming after epoch %d (best validation MRR %.4f at epoch %d)%n", h.epoch() + 1, best,
                        bestEpoch + 1);
            }
            TrainedMatcher scorer = new TrainedMatcher(root, model, template);
            ParameterStore ps = new ParameterStore(root, false);
            TensorBoardLog events = TensorBoardLog.open(run);
            int batch = Math.min(config.batchSize(), trainV.size());
            int batches = trainV.size() / batch;
            double samplesPerSecond = 0;
            int epoch = startEpoch;
            for (; epoch < config.epochs(); epoch++) {
                double lr = schedule.rate(epoch);
                long seed = config.seed() * 1_000_003L + epoch;
                TrainedMatcher.seedEngine(seed);
                Random random = new Random(seed);
                int[] order = permutation(trainV.size(), random);
                EpochStats stats = new EpochStats();
                long start = System.nanoTime();
                try (Progress progress = Progress.start(String.format("epoch %d/%d", epoch + 1, config.epochs()), batches)) {
                    for (int b = 0; b < batches; b++) {
                        try (NDManager bm = root.newSubManager(); NDScope scope = new NDScope()) {
                            scope.suppressNotUsedWarning();
                            int[] idx = java.util.Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
                            int[] shifts = shifts(idx.length, config.augment().timeShift(), random);
                            NDArray v = batchOf(bm, trainV, idx, shifts, config.augment());
                            NDArray a = batchOf(bm, trainA, idx, shifts, config.augment());
                            NDArray labels = null;
                            if (trainLabels != null) {
                                long[] l = new long[idx.length];
                                for (int i = 0; i < idx.length; i++) {
                                    l[i] = trainLabels[idx[i]];
                                }
                                labels = bm.create(l);
                            }
                            NDArray loss;
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                loss = model.loss(ps, v, a, labels, random);
                                gc.backward(loss);
                            }
                            stats.afterBackward(loss, optimizer, lr, events, epoch, batches, b, progress);
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                samplesPerSecond = batches * batch / seconds;
                Validation validation = validate(scorer, valV, valA, config);
                double mrr = validation.mrr();
                schedule.observe(mrr);
                boolean improved = mrr > best;
                if (improved) {
                    best = mrr;
                    bestEpoch = epoch;
                    stale = 0;
                } else {
                    stale++;
                }
                csv.add(csvLine(epoch, lr, stats.meanLoss(), validation, stats.meanGradientNorm(), samplesPerSecond, seconds));
                AtomicFiles.writeString(run.metrics(), String.join("\n", csv) + "\n");
                events.epoch(CSV_HEADER, csv.get(csv.size() - 1));
                CheckpointHeader h = template.after(epoch, schedule.state(), best, bestEpoch, stale);
                if (improved) {
                    Checkpoint.write(run.bestCheckpoint(), h, model, null);
                }
                Checkpoint.write(run.lastCheckpoint(), h, model, optimizer);
                out.printf(java.util.Locale.ROOT,
                        "epoch %3d  lr %.2e  loss %.4f  val MRR %.4f  %d-way top1 %.3f top5 %.3f  %.0f samples/s%s%n",
                        epoch + 1, lr, stats.meanLoss(), mrr, validation.subsetSize(), validation.top1(), validation.top5(), samplesPerSecond,
                        improved ? "  *" : "");
                if (config.earlyStopping() > 0 && stale >= config.earlyStopping()) {
                    out.printf("  early stop: no better validation MRR for %d epochs%n", stale);
                    epoch++;
                    break;
                }
            }
            events.close();
            EvaluationResult evaluation = MatchingEvaluation.evaluate(run, null, out);
            return new Result(run, evaluation, epoch - startEpoch, samplesPerSecond);
        }
    }

    /** Validation figures of one epoch: whole-set MRR (video→audio) and N-way top-1/top-5 over {@link #EPOCH_DRAWS} draws. */
    private record Validation(double mrr, int subsetSize, double top1, double top5) {}

    private static Validation validate(TrainedMatcher scorer, FeatureSet valV, FeatureSet valA, TrainConfig config) {
        SimilarityMatrix s = scorer.scoreNormalized(valV, valA);
        double mrr = Retrieval.direction(Retrieval.diagonalRanks(s), 0, 0).meanReciprocalRank().value();
        int subset = Math.min(config.evaluation().subsetSize(), s.rows());
        Map<Integer, Double> topk = Retrieval.subsetTopK(s, subset, EPOCH_DRAWS, config.evaluation().seed(), 5);
        return new Validation(mrr, subset, topk.get(1), topk.get(5));
    }

    /** One line of metrics.csv ({@link #CSV_HEADER}) for the 0-based {@code epoch}. */
    private static String csvLine(int epoch, double lr, double loss, Validation val, double gradientNorm,
            double samplesPerSecond, double seconds) {
        return String.format(java.util.Locale.ROOT, "%d,%.6g,%.6f,%.6f,%.6f,%.6f,%.4f,%.1f,%.2f", epoch + 1, lr, loss,
                val.mrr(), val.top1(), val.top5(), gradientNorm, samplesPerSecond, seconds);
    }

    /**
     * A closed-form model: fitted once on the whole (normalized, unaugmented) training split, then
     * validated, checkpointed as "epoch 1" (best and last) and evaluated like a trained run.
     */
    private static Result fitClosedForm(CcaModel model, TrainConfig config, RunDirectory run, TrainedMatcher scorer,
            FeatureSet trainV, FeatureSet trainA, FeatureSet valV, FeatureSet valA, List<String> csv, PrintStream out)
            throws IOException {
        double seconds = fit(model, scorer.manager(), trainV, trainA);
        double samplesPerSecond = trainV.size() / seconds;
        Validation val = validate(scorer, valV, valA, config);
        csv.add(csvLine(0, 0, 0, val, 0, samplesPerSecond, seconds));
        AtomicFiles.writeString(run.metrics(), String.join("\n", csv) + "\n");
        CheckpointHeader h = scorer.header().after(0, scorer.header().schedule(), val.mrr(), 0, 0);
        Checkpoint.write(run.bestCheckpoint(), h, model, null);
        Checkpoint.write(run.lastCheckpoint(), h, model, null);
        float[] rho = model.correlations();
        out.printf(java.util.Locale.ROOT,
                "fitted cca in %.1f s: canonical correlations %.3f, %.3f, %.3f ... %.3f; val MRR %.4f  %d-way top1 %.3f top5 %.3f%n",
                seconds, rho[0], rho[Math.min(1, rho.length - 1)], rho[Math.min(2, rho.length - 1)], rho[rho.length - 1],
                val.mrr(), val.subsetSize(), val.top1(), val.top5());
        EvaluationResult evaluation = MatchingEvaluation.evaluate(run, null, out);
        return new Result(run, evaluation, 1, samplesPerSecond);
    }

    /**
     * Fits a closed-form model on whole feature sets ({@code [clips, frames, dim]} each, aligned by
     * clip), in a sub-manager of {@code parent} freed on return; returns the seconds the fit took.
     */
    static double fit(CcaModel model, NDManager parent, FeatureSet video, FeatureSet audio) {
        long start = System.nanoTime();
        try (NDManager m = parent.newSubManager()) {
            model.fit(m.create(video.values(), new Shape(video.size(), video.frames(), video.dim())),
                    m.create(audio.values(), new Shape(audio.size(), audio.frames(), audio.dim())));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A random circular shift in {@code [-max, max]} frames per clip (all zero when max is 0). */
    static int[] shifts(int count, int max, Random random) {
        int[] s = new int[count];
        if (max > 0) {
            for (int i = 0; i < count; i++) {
                s[i] = random.nextInt(2 * max + 1) - max;
            }
        }
        return s;
    }

    /**
     * {@code [idx.length, frames, dim]} of the chosen clips, clip i rolled in time by {@code shifts[i]}
     * (frame t comes from frame (t − shift) mod frames; both modalities get the same shifts, so they
     * stay aligned), plus Gaussian noise when configured.
     */
    static NDArray batchOf(NDManager m, FeatureSet set, int[] idx, int[] shifts, AugmentConfig augment) {
        int frames = set.frames();
        int dim = set.dim();
        int per = frames * dim;
        float[] buf = new float[idx.length * per];
        for (int i = 0; i < idx.length; i++) {
            int shift = Math.floorMod(shifts[i], frames);
            int src = idx[i] * per;
            int dst = i * per;
            // frames [0, frames - shift) move to [shift, frames); the rest wrap to the front
            System.arraycopy(set.values(), src, buf, dst + shift * dim, (frames - shift) * dim);
            System.arraycopy(set.values(), src + (frames - shift) * dim, buf, dst, shift * dim);
        }
        NDArray x = m.create(buf, new Shape(idx.length, frames, dim));
        if (augment.noise() > 0) {
            x = x.add(m.randomNormal(0f, augment.noise().floatValue(), x.getShape(), DataType.FLOAT32));
        }
        return x;
    }
}
