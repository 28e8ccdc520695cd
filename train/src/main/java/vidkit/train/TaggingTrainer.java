package vidkit.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import vidkit.data.AtomicFiles;
import vidkit.data.FeatureNormalizer;
import vidkit.data.InvalidDataException;
import vidkit.data.Split;
import vidkit.data.Splitter;
import vidkit.data.TaggingDataset;
import vidkit.eval.TaggingMetrics;
import vidkit.nn.Tagger;

/**
 * Trains a tagger and records everything in a {@link RunDirectory} (the same layout as matching
 * runs). Reproducible like {@link MatchingTrainer}: epoch e reseeds the engine and the shuffling
 * from {@code (seed, e)}. The selection metric (best checkpoint, early stopping, plateau schedule)
 * is the validation GAP@20, or the accuracy (= Hit@1) on single-label data.
 */
public final class TaggingTrainer {
    private static final String CSV_HEADER = "epoch,learning_rate,train_loss,validation_loss,validation_gap,"
            + "validation_map,validation_hit1,validation_perr,gradient_norm,samples_per_second,seconds";

    private TaggingTrainer() {}

    public record Result(RunDirectory run, TaggingEvaluation.Result evaluation, int epochsRun, double samplesPerSecond) {}

    /** The config's dataset (vocabulary and data paths as given, relative to the working directory). */
    static TaggingDataset loadData(TaggingTrainConfig config, PrintStream out) throws IOException {
        Path vocabulary = config.vocabulary() == null ? null : Path.of(config.vocabulary());
        if (TaggingDataset.isPairedDirectory(config.data())) {
            return TaggingDataset.load(config.data(), config.frameLevel(), config.maxFrames(), vocabulary,
                    config.skipCorrupt(), out, null);
        }
        int shards = vidkit.data.Shards.resolve(config.data()).size();
        try (Progress progress = Progress.start("reading shards", shards)) {
            return TaggingDataset.load(config.data(), config.frameLevel(), config.maxFrames(), vocabulary,
                    config.skipCorrupt(), out, () -> {
                        synchronized (progress) {
                            progress.step(1, "");
                        }
                    });
        }
    }

    public static Result train(TaggingTrainConfig config, Path runsRoot, String command, PrintStream out)
            throws IOException {
        RunDirectory run = RunDirectory.create(runsRoot, "tagging-" + config.model().describe());
        return run(config, run, null, command, out);
    }

    public static Result resume(RunDirectory run, String command, PrintStream out) throws IOException {
        Checkpoint last = Checkpoint.read(run.lastCheckpoint());
        return run(last.taggingHeader().config(), run, last, command, out);
    }

    private static Result run(TaggingTrainConfig config, RunDirectory run, Checkpoint resume, String command,
            PrintStream out) throws IOException {
        TaggingDataset data = loadData(config, out);
        if (config.split().stratify() && !data.singleLabel()) {
            throw new InvalidDataException(Path.of(config.data()), "split.stratify needs single-label data; these videos "
                    + "have label sets: set split.stratify=false");
        }
        Split split;
        if (resume == null) {
            split = Splitter.split(data.ids(), data.singleLabel() ? data.firstLabels() : null, data.groups(), config.split());
            AtomicFiles.writeString(run.config(), Json.MAPPER.writeValueAsString(config));
            AtomicFiles.writeString(run.provenance(), Json.MAPPER.writeValueAsString(
                    Provenance.capture(config.seed(), Path.of(config.data()), data.fingerprint(), command)));
            split.write(run.splitDir());
        } else {
            split = Split.read(run.splitDir());
        }
        TaggingDataset trainRaw = data.selectIds(split.train());
        TaggingDataset valRaw = data.selectIds(split.validation());
        TaggingCheckpointHeader resumed = resume == null ? null : resume.taggingHeader();
        FeatureNormalizer vn;
        FeatureNormalizer an;
        if (resumed != null) {
            vn = resumed.visualNormalizer();
            an = resumed.audioNormalizer();
        } else if (config.normalize()) {
            vn = FeatureNormalizer.fitClips(trainRaw.visual(), data.visualDim());
            an = FeatureNormalizer.fitClips(trainRaw.audio(), data.audioDim());
        } else {
            vn = TaggingBatches.identity(data.visualDim());
            an = TaggingBatches.identity(data.audioDim());
        }
        TaggingDataset train = TaggingBatches.normalized(trainRaw, vn, an);
        TaggingDataset val = TaggingBatches.normalized(valRaw, vn, an);
        out.printf("run %s%n  data %s: %d videos (max %d frames; visual %d, audio %d; %d classes%s); train %d, validation %d%n",
                run.path(), config.data(), data.size(), data.maxFrames(), data.visualDim(), data.audioDim(), data.classes(),
                data.singleLabel() ? ", one label each" : "", train.size(), val.size());
        String[] classNames = new String[data.classes()];
        for (int c = 0; c < classNames.length; c++) {
            classNames[c] = data.vocabulary().name(c);
        }
        List<String> csv = new ArrayList<>();
        csv.add(CSV_HEADER);
        try (NDManager root = NDManager.newBaseManager()) {
            TrainedMatcher.seedEngine(config.seed());
            Tagger tagger = TrainedTagger.newTagger(config, root, data.visualDim(), data.audioDim(), data.classes());
            AdamOptimizer optimizer = new AdamOptimizer(config.optimizer(), tagger, root);
            LearningRateSchedule schedule = new LearningRateSchedule(config.schedule(), config.optimizer().learningRate(),
                    config.epochs());
            int startEpoch = 0;
            double best = -Double.MAX_VALUE;
            int bestEpoch = -1;
            int stale = 0;
            if (resumed != null) {
                resume.restoreForTraining(tagger, root, optimizer);
                schedule.restore(resumed.schedule());
                startEpoch = resumed.epoch() + 1;
                best = resumed.bestMetric();
                bestEpoch = resumed.bestEpoch();
                stale = resumed.epochsWithoutImprovement();
                csv.addAll(run.metricsLines(startEpoch));
                out.printf("  resuming after epoch %d%n", startEpoch);
            }
            ParameterStore ps = new ParameterStore(root, false);
            TensorBoardLog events = TensorBoardLog.open(run);
            int batch = Math.min(config.batchSize(), train.size());
            int batches = train.size() / batch;
            String metricName = data.singleLabel() ? "accuracy" : "GAP";
            double samplesPerSecond = 0;
            int epoch = startEpoch;
            for (; epoch < config.epochs(); epoch++) {
                double lr = schedule.rate(epoch);
                long seed = config.seed() * 1_000_003L + epoch;
                TrainedMatcher.seedEngine(seed);
                Random random = new Random(seed);
                int[] order = MatchingTrainer.permutation(train.size(), random);
                EpochStats stats = new EpochStats();
                long start = System.nanoTime();
                try (Progress progress = Progress.start(String.format("epoch %d/%d", epoch + 1, config.epochs()), batches)) {
                    for (int b = 0; b < batches; b++) {
                        try (NDManager bm = root.newSubManager(); NDScope scope = new NDScope()) {
                            scope.suppressNotUsedWarning();
                            int[] idx = java.util.Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
                            TaggingBatches.Batch x = TaggingBatches.of(bm, train, idx, config.noise());
                            NDArray loss;
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                loss = tagger.loss(tagger.logits(ps, x.visual(), x.audio(), x.mask(), true), x.targets());
                                gc.backward(loss);
                            }
                            stats.afterBackward(loss, optimizer, lr, events, epoch, batches, b, progress);
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                samplesPerSecond = (double) batches * batch / seconds;
                float[] logits = TrainedTagger.logitsOf(root, tagger, val);
                double valLoss = meanLoss(logits, val);
                TaggingMetrics.Summary s = new TaggingMetrics(logits, val.classes(), val.labels()).summary();
                double metric = data.singleLabel() ? s.hitAtOne() : s.gap();
                schedule.observe(metric);
                boolean improved = metric > best;
                if (improved) {
                    best = metric;
                    bestEpoch = epoch;
                    stale = 0;
                } else {
                    stale++;
                }
                csv.add(String.format(Locale.ROOT, "%d,%.6g,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.1f,%.2f", epoch + 1, lr,
                        stats.meanLoss(), valLoss, s.gap(), s.meanAveragePrecision(), s.hitAtOne(), s.perr(),
                        stats.meanGradientNorm(), samplesPerSecond, seconds));
                AtomicFiles.writeString(run.metrics(), String.join("\n", csv) + "\n");
                events.epoch(CSV_HEADER, csv.get(csv.size() - 1));
                TaggingCheckpointHeader h = new TaggingCheckpointHeader(Provenance.version(), config, epoch, data.visualDim(),
                        data.audioDim(), classNames, data.singleLabel(), vn, an, schedule.state(), best, bestEpoch, stale);
                if (improved) {
                    Checkpoint.write(run.bestCheckpoint(), h, tagger, null);
                }
                Checkpoint.write(run.lastCheckpoint(), h, tagger, optimizer);
                out.printf(Locale.ROOT,
                        "epoch %3d  lr %.2e  loss %.4f  val loss %.4f  GAP %.4f  mAP %.4f  Hit@1 %.4f  PERR %.4f  %.0f samples/s%s%n",
                        epoch + 1, lr, stats.meanLoss(), valLoss, s.gap(), s.meanAveragePrecision(), s.hitAtOne(), s.perr(),
                        samplesPerSecond, improved ? "  *" : "");
                if (config.earlyStopping() > 0 && stale >= config.earlyStopping()) {
                    out.printf("  early stop: no better validation %s for %d epochs%n", metricName, stale);
                    epoch++;
                    break;
                }
            }
            events.close();
            TaggingEvaluation.Result evaluation = TaggingEvaluation.evaluate(run, null, out);
            return new Result(run, evaluation, epoch - startEpoch, samplesPerSecond);
        }
    }

    /** Sigmoid cross-entropy summed over classes, averaged over videos (the training loss's scale). */
    static double meanLoss(float[] logits, TaggingDataset data) {
        int classes = data.classes();
        double sum = 0;
        boolean[] truth = new boolean[classes];
        for (int v = 0; v < data.size(); v++) {
            java.util.Arrays.fill(truth, false);
            for (int l : data.labels()[v]) {
                truth[l] = true;
            }
            for (int c = 0; c < classes; c++) {
                double s = truth[c] ? -logits[v * classes + c] : logits[v * classes + c];
                sum += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
            }
        }
        return data.size() == 0 ? 0 : sum / data.size();
    }
}
