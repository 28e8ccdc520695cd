package vidkit.similarity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import vidkit.data.InvalidDataException;
import vidkit.data.Split;
import vidkit.data.TaggingDataset;
import vidkit.eval.SimilarityMetrics;
import vidkit.index.EmbeddingLibrary;
import vidkit.nn.BlendModel;
import vidkit.nn.Losses;
import vidkit.nn.Scalars;
import vidkit.nn.SimilarityModel;

/**
 * Video similarity as a {@link Task} ({@code "type": "similarity"}): seed 004's stages on
 * YouTube-8M video-level features and judged pairs (a {@code vidkit pairs make} directory, whose
 * split both sides come from). {@code pretrain}: multi-label tags (the most frequent classes of the
 * training videos), focal loss from logits. {@code pairwise}: batches of training pairs, the cosine
 * of the two unit embeddings regressed to the score (MSE), optionally with layer-wise learning-rate
 * decay and the encoder taken from a pre-training run ({@code init}). {@code distill}: the same with
 * targets mixed with a frozen teacher's cosines. {@code blend}: an MLP over the concatenated
 * embeddings of several trained runs ({@code members}, computed once), trained on the pairs. Every
 * stage validates by Spearman's ρ of the validation pairs' cosines (the selection metric).
 */
public final class SimilarityTask implements Task<SimilarityConfig, SimilarityEvaluation.Result> {
    @Override
    public String type() {
        return "similarity";
    }

    @Override
    public Class<SimilarityConfig> configType() {
        return SimilarityConfig.class;
    }

    @Override
    public String runName(SimilarityConfig config) {
        return "similarity-" + config.stage();
    }

    @Override
    public TrainingJob<SimilarityEvaluation.Result> prepare(SimilarityConfig config, Split storedSplit, Checkpoint resumed,
            TrainedModel teacher, PrintStream out) throws IOException {
        if (config.stage().equals("distill") && teacher == null) {
            throw new IllegalArgumentException("stage distill needs a teacher: --set 'teacher={\"run\": \"a pairwise run\"}'");
        }
        if (config.stage().equals("blend") && config.members().size() < 2) {
            throw new IllegalArgumentException("stage blend needs at least two members: --set 'members=[\"run A\", \"run B\"]'");
        }
        return new Job(config, storedSplit, resumed, teacher, out);
    }

    @Override
    public TrainedModel open(Checkpoint checkpoint) throws IOException {
        return TrainedSimilarity.load(checkpoint);
    }

    @Override
    public SimilarityEvaluation.Result evaluate(EvaluationRequest r, PrintStream out) throws IOException {
        return SimilarityEvaluation.evaluate(r.single("similarity"), r.data(), out);
    }

    /** {@code vidkit predict --data SHARDS --out LIB.vkemb}: the videos' embeddings as a searchable library. */
    @Override
    public void predict(PredictionRequest r, PrintStream out) throws IOException {
        try (TrainedSimilarity model = TrainedSimilarity.load(r.run().inferenceCheckpoint())) {
            SimilarityEmbeddings.write(model, r.data(), r.out(), out);
        }
    }

    @Override
    public Map<String, Double> headline(RunDirectory run) throws IOException {
        Map<String, Double> h = new LinkedHashMap<>();
        if (Files.exists(run.evaluation())) {
            SimilarityMetrics m = Json.MAPPER.readValue(run.evaluation().toFile(), SimilarityEvaluation.Result.class)
                    .metrics();
            h.put("spearman", m.spearman());
            h.put("mse", m.mse());
            h.put("precisionAt10", m.precisionAt10());
        }
        return h;
    }

    @Override
    public List<ReportItem> reportItems(RunDirectory run) {
        return List.of();
    }

    /**
     * The fold of training pair {@code i} among {@code folds}: SplitMix64 of {@code i}, so the folds
     * mix the ways pairs were drawn (a plain {@code i mod 3} would isolate the uniform pairs).
     */
    static int foldOf(long i, int folds) {
        return (int) Long.remainderUnsigned(splitMix64(i), folds);
    }

    /** SplitMix64's output function: a well-mixed 64-bit hash of {@code x}. */
    private static long splitMix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One similarity run. */
    static final class Job implements TrainingJob<SimilarityEvaluation.Result> {
        private final SimilarityConfig config;
        private final TaggingDataset data;
        private final Split split;
        private final int[] trainRows;
        /** The training videos pre-training learns from: all but the held-out ones ({@code heldOut}). */
        private final int[] pretrainRows;
        private final int[] validationRows;
        private final Map<String, Integer> validationSlot = new HashMap<>();
        private final List<Pair> trainPairs;
        private final List<Pair> validationPairs;
        private final Map<String, Integer> row = new HashMap<>();
        /** YouTube-8M class → pre-training tag index, or absent. */
        private final Map<Integer, Integer> tagIndex = new HashMap<>();
        private final SimilarityState state;
        /** distill: the teacher's cosine of each training pair. */
        private final float[] teacherCosines;
        /** The text stream's title vectors, or null without titles. */
        private final TitleVectors titles;
        /** blend: the members' concatenated embeddings of every video {@code [videos, width]}, and its runs. */
        private final float[] blendInputs;
        private final List<RunDirectory> memberRuns = new ArrayList<>();
        private final List<Integer> memberDims = new ArrayList<>();
        private NDManager manager;
        private SimilarityModel model;
        private BlendModel blend;

        Job(SimilarityConfig config, Split storedSplit, Checkpoint resumed, TrainedModel teacher, PrintStream out)
                throws IOException {
            this.config = config;
            data = config.loadData(config.data(), out);
            for (int i = 0; i < data.size(); i++) {
                row.put(data.ids().get(i), i);
            }
            Path pairs = config.pairsDir();
            split = storedSplit != null ? storedSplit : Split.read(pairs.resolve("split"));
            trainRows = rows(split.train(), pairs);
            pretrainRows = java.util.Arrays.stream(trainRows).filter(r -> !heldOut(data.ids().get(r))).toArray();
            validationRows = rows(split.validation(), pairs);
            for (int i = 0; i < split.validation().size(); i++) {
                validationSlot.put(split.validation().get(i), i);
            }
            List<Pair> allTrainPairs = PairsFile.read(pairs.resolve("train-pairs.csv"), new HashSet<>(split.train()));
            trainPairs = new ArrayList<>();
            for (int i = 0; i < allTrainPairs.size(); i++) {
                Pair p = allTrainPairs.get(i);
                boolean held1 = heldOut(p.id1());
                boolean held2 = heldOut(p.id2());
                // stacking: members train on pairs of kept videos, the blend on pairs of held-out ones
                boolean side = config.stage().equals("blend") ? (held1 && held2) || config.heldOut() == 0 : !held1 && !held2;
                if (side && (config.folds() == 1 || foldOf(i, config.folds()) != config.fold())) {
                    trainPairs.add(p);
                }
            }
            validationPairs = PairsFile.read(pairs.resolve("validation-pairs.csv"), new HashSet<>(split.validation()));
            if (config.stage().equals("blend")) {
                int[] all = java.util.stream.IntStream.range(0, data.size()).toArray();
                List<TrainedSimilarity> members = TrainedSimilarity.openMembers(config);
                members.forEach(m -> memberDims.add(m.embeddingDim()));
                try {
                    blendInputs = TrainedSimilarity.memberEmbeddings(members, data, all);
                } finally {
                    members.forEach(TrainedSimilarity::close);
                }
                for (String m : config.members()) {
                    memberRuns.add(RunDirectory.open(Path.of(m)));
                }
            } else {
                blendInputs = null;
            }
            int blendWidth = blendInputs == null ? 0 : blendInputs.length / data.size();
            titles = config.titles() == null ? null : TitleVectors.encode(Path.of(config.titles()),
                    new HashSet<>(data.ids()), vidkit.text.TextModel.of(config.textModel()),
                    Runtime.getRuntime().availableProcessors());
            state = resumed != null ? resumed.taskState(SimilarityState.class)
                    : new SimilarityState(data.visualDim(), data.audioDim(), topClasses(config.tags()), blendWidth,
                            titles == null ? 0 : titles.dim(), residualMembers());
            for (int k = 0; k < state.tagClasses().length; k++) {
                tagIndex.put(state.tagClasses()[k], k);
            }
            if (teacher != null) {
                if (!(teacher instanceof TrainedSimilarity t)) {
                    throw new InvalidDataException(Path.of(config.teacher().run()), "is not a similarity run");
                }
                Map<String, Integer> slot = new HashMap<>();
                for (int i = 0; i < split.train().size(); i++) {
                    slot.put(split.train().get(i), i);
                }
                float[] e = t.embed(data, trainRows);
                double[] c = SimilarityEvaluation.cosines(e, t.embeddingDim(), trainPairs, slot);
                teacherCosines = new float[c.length];
                for (int k = 0; k < c.length; k++) {
                    teacherCosines[k] = (float) c[k];
                }
            } else {
                teacherCosines = null;
            }
            out.printf("  data %s: %d videos (visual %d, audio %d); %s stage: %d training %s%s, %d validation pairs; %d "
                    + "pre-training tags%n", config.data(), data.size(), data.visualDim(), data.audioDim(), config.stage(),
                    trainingSize(), config.stage().equals("pretrain") ? "videos" : "pairs", config.folds() == 1 ? ""
                    : " (fold " + config.fold() + " of " + config.folds() + " left out)", validationPairs.size(),
                    state.tagClasses().length);
            if (config.heldOut() > 0) {
                out.printf("  stacking: %d of %d training videos held out (%s)%n", trainRows.length - pretrainRows.length,
                        trainRows.length, config.stage().equals("blend") ? "the blend trains on the pairs among them"
                        : "this stage trains without them");
            }
            if (trainingSize() == 0) {
                throw new InvalidDataException(pairs.resolve("train-pairs.csv"), "leaves no training "
                        + (config.stage().equals("pretrain") ? "videos" : "pairs") + " for this " + config.stage()
                        + " run (folds " + config.folds() + ", heldOut " + config.heldOut() + ")");
            }
            if (blendInputs != null) {
                describeMembers(out);
            }
            if (titles != null) {
                out.printf("  text stream: %d of %d videos have a title in %s, encoded by %s (%d-d)%n", titles.size(),
                        data.size(), config.titles(), config.textModel(), titles.dim());
            }
        }

        /**
         * How many members a residual blend averages: all of them when every member's embedding is
         * as wide as the blend's (else 0: the plain MLP).
         */
        private int residualMembers() {
            if (blendInputs == null || memberDims.stream().anyMatch(d -> d != config.model().embedding().intValue())) {
                return 0;
            }
            return memberDims.size();
        }

        /**
         * A blend's starting point, printed: each member's Spearman on the validation pairs and that
         * of their mean cosine (the plain ensemble the blend's MLP has to beat).
         */
        private void describeMembers(PrintStream out) {
            double[] truth = validationPairs.stream().mapToDouble(Pair::score).toArray();
            double[] mean = new double[truth.length];
            int width = blendInputs.length / data.size();
            int at = 0;
            for (int m = 0; m < config.members().size(); m++) {
                int d = memberDims.get(m);
                float[] member = new float[data.size() * d]; // this member's columns of the blend's inputs
                for (int v = 0; v < data.size(); v++) {
                    System.arraycopy(blendInputs, v * width + at, member, v * d, d);
                }
                double[] c = SimilarityEvaluation.cosines(member, d, validationPairs, row);
                for (int k = 0; k < c.length; k++) {
                    mean[k] += c[k] / config.members().size();
                }
                out.printf(java.util.Locale.ROOT, "  member %s: validation Spearman %.4f%n", config.members().get(m),
                        SimilarityMetrics.spearman(c, truth));
                at += d;
            }
            out.printf(java.util.Locale.ROOT, "  the members' mean cosine: validation Spearman %.4f%n",
                    SimilarityMetrics.spearman(mean, truth));
        }

        private int[] rows(List<String> ids, Path pairs) throws InvalidDataException {
            int[] out = new int[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                Integer r = row.get(ids.get(i));
                if (r == null) {
                    throw new InvalidDataException(pairs.resolve("split"), "names video " + ids.get(i) + ", which "
                            + config.data() + " does not hold: the pairs were made from other shards");
                }
                out[i] = r;
            }
            return out;
        }

        /** Whether {@code id} is among the held-out training videos (a fixed hash of the id, the same in every run). */
        private boolean heldOut(String id) {
            if (config.heldOut() == 0) {
                return false;
            }
            return (splitMix64(id.hashCode()) >>> 11) * 0x1.0p-53 < config.heldOut();
        }

        /** The {@code k} most frequent classes of the training videos (ties: lower class first). */
        private int[] topClasses(int k) {
            int[] count = new int[data.classes()];
            for (int r : trainRows) {
                for (int c : data.labels()[r]) {
                    count[c]++;
                }
            }
            List<Integer> classes = new ArrayList<>();
            for (int c = 0; c < count.length; c++) {
                if (count[c] > 0) {
                    classes.add(c);
                }
            }
            classes.sort((a, b) -> count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
            return classes.subList(0, Math.min(k, classes.size())).stream().mapToInt(Integer::intValue).toArray();
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
            return config.stage().equals("pretrain") ? pretrainRows.length : trainPairs.size();
        }


        @Override
        public List<RunDirectory> memberRuns() {
            return memberRuns;
        }

        @Override
        public Block buildModel(NDManager m) {
            manager = m;
            Block b = TrainedSimilarity.newModel(config, m, state);
            if (b instanceof BlendModel bm) {
                blend = bm;
            } else {
                model = (SimilarityModel) b;
            }
            return b;
        }

        @Override
        public double learningRateMultiplier(String parameterPath) {
            return blend != null ? 1 : Math.pow(config.layerDecay(), 3 - SimilarityModel.depth(parameterPath));
        }

        /** A blend's inputs of {@code rows}: {@code [rows, width]}. */
        private float[] blendRows(int[] rows) {
            int w = state.blendInput();
            float[] out = new float[rows.length * w];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(blendInputs, rows[i] * w, out, i * w, w);
            }
            return out;
        }

        @Override
        public NDArray loss(ParameterStore ps, NDManager bm, int[] idx, Random random) {
            if (config.stage().equals("pretrain")) {
                int[] rows = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    rows[i] = pretrainRows[idx[i]];
                }
                NDList x = TrainedSimilarity.batch(bm, data, titles, rows, 0, rows.length, model.frameLevel());
                return tagLoss(ps, bm, model.embed(ps, x, true), rows);
            }
            int n = idx.length;
            int[] rows = new int[2 * n];
            float[] target = new float[n];
            for (int i = 0; i < n; i++) {
                Pair p = trainPairs.get(idx[i]);
                rows[i] = row.get(p.id1());
                rows[n + i] = row.get(p.id2());
                target[i] = teacherCosines == null ? (float) p.score()
                        : (float) ((1 - config.distillWeight()) * p.score() + config.distillWeight() * teacherCosines[idx[i]]);
            }
            NDArray e;
            if (blend != null) {
                e = blend.embed(ps, bm.create(blendRows(rows), new Shape(rows.length, state.blendInput())), true);
            } else {
                e = model.embed(ps, TrainedSimilarity.batch(bm, data, titles, rows, 0, rows.length, model.frameLevel()), true);
            }
            NDArray a = e.get("0:" + n);
            NDArray b = e.get(n + ":");
            NDArray cos = a.mul(b).sum(new int[] {1});
            NDArray mse = cos.sub(bm.create(target)).square().mean();
            return config.tagWeight() > 0 && blend == null ? mse.add(Scalars.times(tagLoss(ps, bm, e, rows), config.tagWeight().floatValue())) : mse;
        }

        /** The pre-training loss: focal loss of the tag head on embeddings {@code e [rows, E]} of the videos {@code rows}. */
        private NDArray tagLoss(ParameterStore ps, NDManager bm, NDArray e, int[] rows) {
            NDArray logits = model.tags(ps, e, true);
            int k = state.tagClasses().length;
            float[] y = new float[rows.length * k];
            for (int i = 0; i < rows.length; i++) {
                for (int c : data.labels()[rows[i]]) {
                    Integer t = tagIndex.get(c);
                    if (t != null) {
                        y[i * k + t] = 1;
                    }
                }
            }
            return Losses.focalFromLogits(logits, bm.create(y, new Shape(rows.length, k)), config.focalGamma());
        }

        @Override
        public Validation validate() {
            float[] e = blend != null ? TrainedSimilarity.embedBlend(manager, blend, blendRows(validationRows),
                    validationRows.length, config.model().embedding())
                    : TrainedSimilarity.embed(manager, model, data, titles, validationRows, config.model().embedding());
            double[] predicted = SimilarityEvaluation.cosines(e, config.model().embedding(), validationPairs, validationSlot);
            double[] truth = validationPairs.stream().mapToDouble(Pair::score).toArray();
            SimilarityMetrics m = SimilarityMetrics.of(predicted, truth, 0, 1);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("spearman", m.spearman());
            metrics.put("mse", m.mse());
            metrics.put("precision_at_10", m.precisionAt10());
            return new Validation(metrics, "spearman", String.format(java.util.Locale.ROOT,
                    "val Spearman %.4f  MSE %.4f  precision@10%% %.4f", m.spearman(), m.mse(), m.precisionAt10()));
        }

        @Override
        public JsonNode state() {
            return Json.MAPPER.valueToTree(state);
        }

        @Override
        public SimilarityEvaluation.Result evaluate(RunDirectory run, PrintStream out) throws IOException {
            return SimilarityEvaluation.evaluate(run, null, out, data, titles);
        }
    }
}
