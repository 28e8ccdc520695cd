package vidkit.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import vidkit.core.Checkpoint;
import vidkit.core.EvaluationRequest;
import vidkit.core.Json;
import vidkit.core.PredictionRequest;
import vidkit.core.Progress;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.core.Task;
import vidkit.core.TrainedModel;
import vidkit.core.TrainingJob;
import vidkit.core.Validation;
import vidkit.data.FeatureNormalizer;
import vidkit.data.InvalidDataException;
import vidkit.data.Split;
import vidkit.data.Splitter;
import vidkit.data.TaggingDataset;
import vidkit.eval.TaggingMetrics;
import vidkit.nn.Losses;
import vidkit.nn.Scalars;
import vidkit.nn.Tagger;

/**
 * Tagging as a {@link Task} ({@code "type": "tagging"}): YouTube-8M shards or a labelled paired
 * directory (AVE), a seeded split (stratified and grouped when single-label), normalizers fitted on
 * the training side, batches padded to their longest video with a mask, the tagger's loss (sigmoid
 * cross-entropy or focal), optionally distilled from a frozen teacher, and per epoch the official
 * metrics on the validation side. The selection metric is GAP@20, or Hit@1 (= accuracy) on
 * single-label data.
 */
public final class TaggingTask implements Task<TaggingConfig, TaggingEvaluation.Result> {
    @Override
    public String type() {
        return "tagging";
    }

    @Override
    public Class<TaggingConfig> configType() {
        return TaggingConfig.class;
    }

    @Override
    public String runName(TaggingConfig config) {
        return "tagging-" + config.model().describe();
    }

    /** The config's dataset (vocabulary and data paths as given, relative to the working directory). */
    static TaggingDataset loadData(TaggingConfig config, PrintStream out) throws IOException {
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

    @Override
    public TrainingJob<TaggingEvaluation.Result> prepare(TaggingConfig config, Split storedSplit, Checkpoint resumed,
            TrainedModel teacher, PrintStream out) throws IOException {
        return new Job(config, storedSplit, resumed, teacher, out);
    }

    @Override
    public TrainedModel open(Checkpoint checkpoint) throws IOException {
        return TrainedTagger.load(checkpoint);
    }

    @Override
    public TaggingEvaluation.Result evaluate(EvaluationRequest r, PrintStream out) throws IOException {
        return TaggingEvaluation.evaluate(r.single("tagging"), r.data(), out);
    }

    @Override
    public void predict(PredictionRequest r, PrintStream out) throws IOException {
        TaggingPredictions.write(r.run(), r.data(), r.out(), r.topK(), out);
    }

    /** GAP@20, mAP, Hit@1, PERR (and accuracy on single-label data) of {@code evaluation.json}. */
    @Override
    public Map<String, Double> headline(RunDirectory run) throws IOException {
        Map<String, Double> h = new LinkedHashMap<>();
        if (java.nio.file.Files.exists(run.evaluation())) {
            JsonNode e = Json.MAPPER.readTree(run.evaluation().toFile());
            for (String k : List.of("gap", "meanAveragePrecision", "hitAtOne", "perr", "accuracy")) {
                if (e.path(k).isNumber()) {
                    h.put(k, e.path(k).asDouble());
                }
            }
        }
        return h;
    }

    @Override
    public List<ReportItem> reportItems(RunDirectory run) throws IOException {
        return TaggingEvaluation.reportItems(run);
    }

    /** One tagging run's data, tagger and validation. */
    private static final class Job implements TrainingJob<TaggingEvaluation.Result> {
        private final TaggingConfig config;
        private final TaggingDataset data;
        private final Split split;
        private final TaggingState state;
        private final TaggingDataset train;
        private final TaggingDataset val;
        /** The teacher's probabilities {@code [train videos, classes]} row-major, or null. */
        private final float[] teacherProbabilities;
        private Tagger tagger;
        private NDManager manager;

        Job(TaggingConfig config, Split storedSplit, Checkpoint resumed, TrainedModel teacher, PrintStream out)
                throws IOException {
            this.config = config;
            data = loadData(config, out);
            if (config.split().stratify() && !data.singleLabel()) {
                throw new InvalidDataException(Path.of(config.data()), "split.stratify needs single-label data; these "
                        + "videos have label sets: set split.stratify=false");
            }
            split = storedSplit != null ? storedSplit
                    : Splitter.split(data.ids(), data.singleLabel() ? data.firstLabels() : null, data.groups(),
                            config.split());
            TaggingDataset trainRaw = data.selectIds(split.train());
            TaggingDataset valRaw = data.selectIds(split.validation());
            if (resumed != null) {
                state = resumed.taskState(TaggingState.class);
            } else {
                FeatureNormalizer vn;
                FeatureNormalizer an;
                if (config.normalize()) {
                    vn = FeatureNormalizer.fitClips(trainRaw.visual(), data.visualDim());
                    an = FeatureNormalizer.fitClips(trainRaw.audio(), data.audioDim());
                } else {
                    vn = TaggingBatches.identity(data.visualDim());
                    an = TaggingBatches.identity(data.audioDim());
                }
                String[] classNames = new String[data.classes()];
                for (int c = 0; c < classNames.length; c++) {
                    classNames[c] = data.vocabulary().name(c);
                }
                state = new TaggingState(data.visualDim(), data.audioDim(), classNames, data.singleLabel(), vn, an);
            }
            train = TaggingBatches.normalized(trainRaw, state.visualNormalizer(), state.audioNormalizer());
            val = TaggingBatches.normalized(valRaw, state.visualNormalizer(), state.audioNormalizer());
            out.printf("  data %s: %d videos (max %d frames; visual %d, audio %d; %d classes%s); train %d, validation %d%n",
                    config.data(), data.size(), data.maxFrames(), data.visualDim(), data.audioDim(), data.classes(),
                    data.singleLabel() ? ", one label each" : "", train.size(), val.size());
            teacherProbabilities = teacher == null ? null : teacherProbabilities(teacher, trainRaw);
        }

        /** The frozen teacher's sigmoid outputs for the raw training videos (it normalizes them its own way). */
        private static float[] teacherProbabilities(TrainedModel teacher, TaggingDataset trainRaw) throws IOException {
            if (!(teacher instanceof TrainedTagger t)) {
                throw new InvalidDataException(teacher.checkpoint().file(), "a tagging run's teacher must be a tagging run, "
                        + "this is a " + teacher.checkpoint().taskType() + " run");
            }
            float[] logits = t.logits(trainRaw, false);
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (1 / (1 + Math.exp(-logits[i])));
            }
            return logits;
        }

        @Override
        public Path dataPath() {
            return Path.of(config.data());
        }

        @Override
        public String dataFingerprint() {
            return data.fingerprint();
        }

        @Override
        public Split split() {
            return split;
        }

        @Override
        public int trainingSize() {
            return train.size();
        }

        @Override
        public Block buildModel(NDManager m) {
            manager = m;
            tagger = TrainedTagger.newTagger(config, m, state.visualDim(), state.audioDim(), state.classNames().length);
            return tagger;
        }

        @Override
        public NDArray loss(ParameterStore ps, NDManager bm, int[] idx, Random random) {
            TaggingBatches.Batch x = TaggingBatches.of(bm, train, idx, config.noise());
            NDArray logits = tagger.logits(ps, x.visual(), x.audio(), x.mask(), true);
            NDArray loss = tagger.loss(logits, x.targets());
            if (teacherProbabilities == null) {
                return loss;
            }
            int classes = tagger.classes();
            float[] q = new float[idx.length * classes];
            for (int k = 0; k < idx.length; k++) {
                System.arraycopy(teacherProbabilities, idx[k] * classes, q, k * classes, classes);
            }
            NDArray soft = Scalars.times(Losses.softBinaryCrossEntropy(logits, bm.create(q, new Shape(idx.length, classes))), (float) classes);
            float a = config.distillWeight().floatValue();
            return loss.mul(1 - a).add(soft.mul(a));
        }

        @Override
        public Validation validate() {
            float[] logits = TrainedTagger.logitsOf(manager, tagger, val);
            double valLoss = meanLoss(manager, tagger, logits, val);
            TaggingMetrics.Summary s = new TaggingMetrics(logits, val.classes(), val.labels()).summary();
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", valLoss);
            metrics.put("gap", s.gap());
            metrics.put("map", s.meanAveragePrecision());
            metrics.put("hit1", s.hitAtOne());
            metrics.put("perr", s.perr());
            return new Validation(metrics, state.singleLabel() ? "hit1" : "gap", String.format(java.util.Locale.ROOT,
                    "val loss %.4f  GAP %.4f  mAP %.4f  Hit@1 %.4f  PERR %.4f", valLoss, s.gap(), s.meanAveragePrecision(),
                    s.hitAtOne(), s.perr()));
        }

        @Override
        public JsonNode state() {
            return Json.MAPPER.valueToTree(state);
        }

        @Override
        public TaggingEvaluation.Result evaluate(RunDirectory run, PrintStream out) throws IOException {
            return TaggingEvaluation.evaluate(run, null, out);
        }
    }

    /**
     * The validation loss on the training loss's scale: {@link Tagger#loss} itself (so a focal
     * tagger's validation loss is focal too) over batches of {@code logits [videos, classes]},
     * weighted by batch size.
     */
    static double meanLoss(NDManager manager, Tagger tagger, float[] logits, TaggingDataset data) {
        int classes = data.classes();
        double sum = 0;
        int batch = 1024;
        for (int start = 0; start < data.size(); start += batch) {
            int n = Math.min(batch, data.size() - start);
            float[] y = new float[n * classes];
            for (int k = 0; k < n; k++) {
                for (int l : data.labels()[start + k]) {
                    y[k * classes + l] = 1;
                }
            }
            float[] z = java.util.Arrays.copyOfRange(logits, start * classes, (start + n) * classes);
            try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray loss = tagger.loss(m.create(z, new Shape(n, classes)), m.create(y, new Shape(n, classes)));
                sum += (double) loss.getFloat() * n;
            }
        }
        return data.size() == 0 ? 0 : sum / data.size();
    }
}
