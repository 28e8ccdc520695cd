package vidkit.matching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import vidkit.core.Checkpoint;
import vidkit.core.EvaluationRequest;
import vidkit.core.Json;
import vidkit.core.PredictionRequest;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.core.Task;
import vidkit.core.TrainedModel;
import vidkit.core.TrainingJob;
import vidkit.core.Validation;
import vidkit.data.FeatureNormalizer;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.data.Splitter;
import vidkit.eval.Retrieval;
import vidkit.eval.SimilarityMatrix;
import vidkit.nn.MatchingModel;

/**
 * Audio–visual matching as a {@link Task} ({@code "type": "matching"}): a paired dataset, features
 * standardized with statistics of the training side, batches of true pairs ({@code [batch, frames,
 * dim]} per modality, both rolled by the same time shift, optional noise), the model's own loss, and
 * per epoch the validation side scored as a similarity matrix: whole-set MRR video→audio (the
 * selection metric) and the N-way top-1/top-5 over {@link #EPOCH_DRAWS} draws. A closed-form model
 * ({@code cca}) is fitted once instead.
 */
public final class MatchingTask implements Task<MatchingConfig, EvaluationResult> {
    /** Draws of the course protocol in the per-epoch validation (the final evaluation uses the config's). */
    static final int EPOCH_DRAWS = 200;

    @Override
    public String type() {
        return "matching";
    }

    @Override
    public Class<MatchingConfig> configType() {
        return MatchingConfig.class;
    }

    @Override
    public String runName(MatchingConfig config) {
        return config.model().typeName();
    }

    @Override
    public TrainingJob<EvaluationResult> prepare(MatchingConfig config, Split storedSplit, Checkpoint resumed,
            TrainedModel teacher, PrintStream out) throws IOException {
        return new Job(config, storedSplit, resumed, out);
    }

    @Override
    public TrainedModel open(Checkpoint checkpoint) throws IOException {
        return TrainedMatcher.load(checkpoint);
    }

    @Override
    public EvaluationResult evaluate(EvaluationRequest r, PrintStream out) throws IOException {
        return MatchingEvaluation.evaluate(r.runs(), r.data() == null ? null : Path.of(r.data()),
                r.normalization() == null ? null : vidkit.eval.ScoreNormalization.parse(r.normalization()),
                r.temperature(), r.rerank(), r.rerankK(), out);
    }

    @Override
    public void predict(PredictionRequest request, PrintStream out) throws IOException {
        throw new IllegalArgumentException(request.run().path() + " is a matching run: it scores videos against audios "
                + "with `vidkit match --run RUN --videos DIR --audios DIR --out S.npy`");
    }

    /** 50-way top-1 and top-5 of {@code evaluation.json}. */
    @Override
    public Map<String, Double> headline(RunDirectory run) throws IOException {
        Map<String, Double> h = new LinkedHashMap<>();
        if (Files.exists(run.evaluation())) {
            JsonNode topK = Json.MAPPER.readTree(run.evaluation().toFile()).at("/report/subsetTopK");
            for (String k : List.of("1", "5")) {
                if (topK.path(k).isNumber()) {
                    h.put("top" + k, topK.path(k).asDouble());
                }
            }
        }
        return h;
    }

    @Override
    public List<ReportItem> reportItems(RunDirectory run) throws IOException {
        return MatchingEvaluation.reportItems(run);
    }

    /** One matching run's data, model and validation. */
    private static final class Job implements TrainingJob<EvaluationResult> {
        private final MatchingConfig config;
        private final Path dataDir;
        private final PairedDataset data;
        private final Split split;
        private final MatchingState state;
        private final FeatureSet trainV;
        private final FeatureSet trainA;
        private final FeatureSet valV;
        private final FeatureSet valA;
        private final long[] trainLabels;
        private MatchingModel model;
        private TrainedMatcher scorer;

        Job(MatchingConfig config, Split storedSplit, Checkpoint resumed, PrintStream out) throws IOException {
            this.config = config;
            dataDir = config.dataPath(null);
            data = PairedDataset.load(dataDir);
            split = storedSplit != null ? storedSplit : Splitter.split(data, config.split());
            PairedDataset train = data.selectIds(split.train());
            PairedDataset val = data.selectIds(split.validation());
            int classes = data.labels() == null ? 0
                    : data.classNames().keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
            if (resumed != null) {
                state = resumed.taskState(MatchingState.class);
            } else {
                state = new MatchingState(data.frames(), data.video().dim(), data.audio().dim(), classes,
                        FeatureNormalizer.fit(train.video()), FeatureNormalizer.fit(train.audio()));
            }
            trainV = state.videoNormalizer().apply(train.video());
            trainA = state.audioNormalizer().apply(train.audio());
            valV = state.videoNormalizer().apply(val.video());
            valA = state.audioNormalizer().apply(val.audio());
            trainLabels = train.labels() == null ? null : train.labels().stream().mapToLong(l -> l.label()).toArray();
            out.printf("  data %s: %d clips [%d frames; video %d, audio %d]; train %d, validation %d%n", dataDir,
                    data.size(), data.frames(), data.video().dim(), data.audio().dim(), train.size(), val.size());
        }

        @Override
        public Path dataPath() {
            return dataDir;
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
            return trainV.size();
        }

        @Override
        public Block buildModel(NDManager manager) {
            model = TrainedMatcher.newModel(config, manager, state);
            scorer = new TrainedMatcher(manager, model, config, state, null);
            return model;
        }

        @Override
        public NDArray loss(ParameterStore ps, NDManager bm, int[] idx, Random random) {
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
            return model.loss(ps, v, a, labels, random);
        }

        @Override
        public Validation validate() {
            SimilarityMatrix s = scorer.scoreNormalized(valV, valA);
            double mrr = Retrieval.direction(Retrieval.diagonalRanks(s), 0, 0).meanReciprocalRank().value();
            int subset = Math.min(config.evaluation().subsetSize(), s.rows());
            Map<Integer, Double> topk = Retrieval.subsetTopK(s, subset, EPOCH_DRAWS, config.evaluation().seed(), 5);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("mrr", mrr);
            metrics.put("top1", topk.get(1));
            metrics.put("top5", topk.get(5));
            return new Validation(metrics, "mrr", String.format(java.util.Locale.ROOT,
                    "val MRR %.4f  %d-way top1 %.3f top5 %.3f", mrr, subset, topk.get(1), topk.get(5)));
        }

        @Override
        public boolean fitsInClosedForm() {
            return model.fitsInClosedForm();
        }

        @Override
        public String fitClosedForm(NDManager manager) {
            String[] line = new String[1];
            fit(model, manager, trainV, trainA, line);
            return line[0];
        }

        @Override
        public JsonNode state() {
            return Json.MAPPER.valueToTree(state);
        }

        @Override
        public EvaluationResult evaluate(RunDirectory run, PrintStream out) throws IOException {
            return MatchingEvaluation.evaluate(run, null, out);
        }
    }

    /**
     * Fits a closed-form model on whole feature sets ({@code [clips, frames, dim]} each, aligned by
     * clip), in a sub-manager of {@code parent} freed on return; returns the seconds the fit took.
     */
    static double fit(MatchingModel model, NDManager parent, FeatureSet video, FeatureSet audio, String[] line) {
        long start = System.nanoTime();
        try (NDManager m = parent.newSubManager()) {
            line[0] = model.fitClosedForm(m.create(video.values(), new Shape(video.size(), video.frames(), video.dim())),
                    m.create(audio.values(), new Shape(audio.size(), audio.frames(), audio.dim())));
        }
        return (System.nanoTime() - start) / 1e9;
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
