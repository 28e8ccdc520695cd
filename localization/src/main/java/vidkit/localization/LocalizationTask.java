package vidkit.localization;

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
import vidkit.data.PairedDataset;
import vidkit.data.Split;
import vidkit.data.Splitter;
import vidkit.nn.EventLocalizer;
import vidkit.nn.Losses;
import vidkit.nn.Scalars;

/**
 * AVE's supervised event localization as a {@link Task} ({@code "type": "localization"}): per
 * second, which of the 28 events, or background, is happening. Data: a paired directory whose
 * {@code labels.csv} gives each clip's class and annotated {@code [start_s, end_s)}; the seeded,
 * stratified, youtube-grouped split of the other tasks; features standardized on the training side.
 * Model: {@link EventLocalizer}. Loss: the clip class's cross-entropy plus {@code eventWeight} × the
 * per-second event/background binary cross-entropy. Selection metric: validation segment accuracy.
 */
public final class LocalizationTask implements Task<LocalizationConfig, LocalizationEvaluation.Result> {
    @Override
    public String type() {
        return "localization";
    }

    @Override
    public Class<LocalizationConfig> configType() {
        return LocalizationConfig.class;
    }

    @Override
    public String runName(LocalizationConfig config) {
        return "localization";
    }

    @Override
    public TrainingJob<LocalizationEvaluation.Result> prepare(LocalizationConfig config, Split storedSplit,
            Checkpoint resumed, TrainedModel teacher, PrintStream out) throws IOException {
        return new Job(config, storedSplit, resumed, out);
    }

    @Override
    public TrainedModel open(Checkpoint checkpoint) throws IOException {
        return TrainedLocalizer.load(checkpoint);
    }

    @Override
    public LocalizationEvaluation.Result evaluate(EvaluationRequest r, PrintStream out) throws IOException {
        return LocalizationEvaluation.evaluate(r.single("localization"), r.data(), out);
    }

    @Override
    public void predict(PredictionRequest r, PrintStream out) throws IOException {
        Timelines.write(r.run(), Path.of(r.data()), r.out(), out);
    }

    @Override
    public Map<String, Double> headline(RunDirectory run) throws IOException {
        Map<String, Double> h = new LinkedHashMap<>();
        if (Files.exists(run.evaluation())) {
            LocalizationEvaluation.Result e = Json.MAPPER.readValue(run.evaluation().toFile(),
                    LocalizationEvaluation.Result.class);
            h.put("segmentAccuracy", e.accuracy());
            h.put("clipAccuracy", e.clipAccuracy());
            h.put("startError", e.startError());
            h.put("endError", e.endError());
        }
        return h;
    }

    @Override
    public List<ReportItem> reportItems(RunDirectory run) throws IOException {
        return LocalizationEvaluation.reportItems(run);
    }

    /** The clips of a labelled paired directory with per-second targets. */
    record Clips(PairedDataset data, int[] classes, int[][] targets) {
        static Clips load(Path dir, String[] classNames) throws IOException {
            PairedDataset d = PairedDataset.load(dir);
            if (d.labels() == null) {
                throw new InvalidDataException(dir, "has no labels.csv: localization needs each clip's class and segment");
            }
            List<EventSegments.Segment> segments = EventSegments.read(dir.resolve(PairedDataset.LABELS_FILE), d.ids(),
                    d.frames());
            int background = classNames == null ? classCount(d) : classNames.length;
            int[] classes = new int[d.size()];
            int[][] targets = new int[d.size()][];
            for (int i = 0; i < d.size(); i++) {
                classes[i] = d.labels().get(i).label();
                if (classes[i] >= background) {
                    throw new InvalidDataException(dir.resolve(PairedDataset.LABELS_FILE), "clip " + d.ids().get(i)
                            + " has class " + classes[i] + "; the model knows " + background);
                }
                targets[i] = EventSegments.targets(segments.get(i), classes[i], background, d.frames());
            }
            return new Clips(d, classes, targets);
        }

        static int classCount(PairedDataset d) {
            return d.classNames().keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
        }

        Clips select(List<String> ids) throws InvalidDataException {
            Map<String, Integer> at = new java.util.HashMap<>();
            for (int i = 0; i < data.size(); i++) {
                at.put(data.ids().get(i), i);
            }
            int[] idx = ids.stream().mapToInt(at::get).toArray();
            int[] c = new int[idx.length];
            int[][] t = new int[idx.length][];
            for (int k = 0; k < idx.length; k++) {
                c[k] = classes[idx[k]];
                t[k] = targets[idx[k]];
            }
            return new Clips(data.selectIds(ids), c, t);
        }
    }

    /** One localization run. */
    private static final class Job implements TrainingJob<LocalizationEvaluation.Result> {
        private final LocalizationConfig config;
        private final Clips all;
        private final Split split;
        private final LocalizationState state;
        private final Clips train;
        private final Clips val;
        private final FeatureSet trainV;
        private final FeatureSet trainA;
        private final FeatureSet valV;
        private final FeatureSet valA;
        private EventLocalizer model;
        private NDManager manager;

        Job(LocalizationConfig config, Split storedSplit, Checkpoint resumed, PrintStream out) throws IOException {
            this.config = config;
            all = Clips.load(config.dataPath(), null);
            split = storedSplit != null ? storedSplit : Splitter.split(all.data(), config.split());
            train = all.select(split.train());
            val = all.select(split.validation());
            if (resumed != null) {
                state = resumed.taskState(LocalizationState.class);
            } else {
                int k = Clips.classCount(all.data());
                String[] names = new String[k];
                for (int c = 0; c < k; c++) {
                    names[c] = all.data().classNames().getOrDefault(c, "class " + c);
                }
                state = new LocalizationState(all.data().frames(), all.data().video().dim(), all.data().audio().dim(), names,
                        FeatureNormalizer.fit(train.data().video()), FeatureNormalizer.fit(train.data().audio()));
            }
            trainV = state.videoNormalizer().apply(train.data().video());
            trainA = state.audioNormalizer().apply(train.data().audio());
            valV = state.videoNormalizer().apply(val.data().video());
            valA = state.audioNormalizer().apply(val.data().audio());
            out.printf("  data %s: %d clips [%d seconds; video %d, audio %d; %d events + background]; train %d, "
                    + "validation %d%n", config.data(), all.data().size(), state.frames(), state.videoDim(), state.audioDim(),
                    state.classNames().length, train.data().size(), val.data().size());
        }

        @Override
        public Path dataPath() {
            return config.dataPath();
        }

        @Override
        public String dataFingerprint() {
            return all.data().fingerprint();
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
        public Block buildModel(NDManager m) {
            manager = m;
            model = TrainedLocalizer.newModel(config, m, state);
            return model;
        }

        private static NDArray batchOf(NDManager m, FeatureSet set, int[] idx, double noise) {
            NDArray x = m.create(set.rows(idx), new Shape(idx.length, set.frames(), set.dim()));
            return noise > 0 ? x.add(m.randomNormal(0f, (float) noise, x.getShape(), DataType.FLOAT32)) : x;
        }

        @Override
        public NDArray loss(ParameterStore ps, NDManager bm, int[] idx, Random random) {
            NDArray v = batchOf(bm, trainV, idx, config.noise());
            NDArray a = batchOf(bm, trainA, idx, config.noise());
            int frames = state.frames();
            long[] labels = new long[idx.length];
            float[] events = new float[idx.length * frames];
            for (int i = 0; i < idx.length; i++) {
                labels[i] = train.classes()[idx[i]];
                for (int t = 0; t < frames; t++) {
                    events[i * frames + t] = train.targets()[idx[i]][t] == state.background() ? 0f : 1f;
                }
            }
            EventLocalizer.Output o = model.forward(ps, v, a, true);
            NDArray clip = Losses.softmaxCrossEntropy(o.classLogits(), bm.create(labels));
            NDArray event = Losses.softBinaryCrossEntropy(o.eventLogits(), bm.create(events, new Shape(idx.length, frames)));
            return clip.add(Scalars.times(event, config.model().eventWeight().floatValue()));
        }

        @Override
        public Validation validate() {
            TrainedLocalizer.Scores s = TrainedLocalizer.scoreNormalized(manager, model, valV, valA);
            int[][] predicted = s.labels(config.model().eventThreshold());
            SegmentMetrics m = SegmentMetrics.of(val.targets(), predicted, state.background());
            double clip = LocalizationEvaluation.share(s.clipClasses(), val.classes());
            double presence = LocalizationEvaluation.presenceAccuracy(val.targets(), predicted, state.background());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", m.accuracy());
            metrics.put("clip_accuracy", clip);
            metrics.put("event_accuracy", presence);
            return new Validation(metrics, "accuracy", String.format(java.util.Locale.ROOT,
                    "val segment accuracy %.4f  clip class %.4f  event/background %.4f", m.accuracy(), clip, presence));
        }

        @Override
        public JsonNode state() {
            return Json.MAPPER.valueToTree(state);
        }

        @Override
        public LocalizationEvaluation.Result evaluate(RunDirectory run, PrintStream out) throws IOException {
            return LocalizationEvaluation.evaluate(run, null, out);
        }
    }
}
