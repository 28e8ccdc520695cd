package vidkit.qa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
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
import vidkit.data.Split;
import vidkit.data.Splitter;
import vidkit.nn.Losses;
import vidkit.nn.Scalars;
import vidkit.nn.VideoQuestionAnswerer;
import vidkit.text.TextModel;

/**
 * Video question answering as a {@link Task} ({@code "type": "qa"}): a questions file about the
 * clips of a paired directory; the clips' seeded, stratified, youtube-grouped split (all of a
 * clip's questions on its side); training on the training clips' questions in seen phrasings only;
 * the answer's softmax cross-entropy (plus the streams' reconstruction error when the model rebuilds
 * them). Selection metric: validation accuracy on seen phrasings (the held-out phrasings never
 * choose a checkpoint). Model: {@link vidkit.nn.AnswererConfig} — the graph model or a baseline.
 */
public final class QaTask implements Task<QaConfig, QaEvaluation.Result> {
    @Override
    public String type() {
        return "qa";
    }

    @Override
    public Class<QaConfig> configType() {
        return QaConfig.class;
    }

    @Override
    public String runName(QaConfig config) {
        return "qa-" + config.model().type().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public TrainingJob<QaEvaluation.Result> prepare(QaConfig config, Split storedSplit, Checkpoint resumed,
            TrainedModel teacher, PrintStream out) throws IOException {
        return new Job(config, storedSplit, resumed, out);
    }

    @Override
    public TrainedModel open(Checkpoint checkpoint) throws IOException {
        return TrainedAnswerer.load(checkpoint);
    }

    @Override
    public QaEvaluation.Result evaluate(EvaluationRequest r, PrintStream out) throws IOException {
        if (r.normalization() != null || r.temperature() != null || r.rerank() != null) {
            throw new IllegalArgumentException("a qa run is evaluated with its baselines as further --run (the first is "
                    + "the model); --normalization, --temperature and --rerank apply to matching runs");
        }
        return QaEvaluation.evaluate(r.runs(), r.data(), out);
    }

    @Override
    public void predict(PredictionRequest r, PrintStream out) throws IOException {
        QaEvaluation.predict(r, out);
    }

    @Override
    public Map<String, Double> headline(RunDirectory run) throws IOException {
        Map<String, Double> h = new LinkedHashMap<>();
        if (Files.exists(run.evaluation())) {
            QaEvaluation.Result e = Json.MAPPER.readValue(run.evaluation().toFile(), QaEvaluation.Result.class);
            QaEvaluation.Row model = e.rows().get(0);
            h.put("accuracy", model.accuracy());
            h.put("heldOutAccuracy", model.heldOutAccuracy());
            for (QaEvaluation.TypeAccuracy t : model.types()) {
                h.put(t.type(), t.seen());
            }
        }
        return h;
    }

    @Override
    public List<ReportItem> reportItems(RunDirectory run) throws IOException {
        return QaEvaluation.reportItems(run);
    }

    /** One question-answering run. */
    private static final class Job implements TrainingJob<QaEvaluation.Result> {
        private final QaConfig config;
        private final QaData data;
        private final Split split;
        private final QaState state;
        private final FeatureSet video;
        private final FeatureSet audio;
        private final List<Question> train;
        private final int[] trainClips;
        private final long[] trainAnswers;
        private final List<Question> validation;
        private final int[] validationClips;
        private final QuestionTokens tokens;
        private final String fingerprint;
        /** Per clip, 1 at annotated event seconds, 0 elsewhere {@code [clips][frames]}; null when eventWeight is 0. */
        private final float[][] events;
        private VideoQuestionAnswerer model;
        private NDManager manager;

        Job(QaConfig config, Split storedSplit, Checkpoint resumed, PrintStream out) throws IOException {
            this.config = config;
            data = QaData.load(config);
            fingerprint = data.fingerprint(config);
            split = storedSplit != null ? storedSplit : Splitter.split(data.clips(), config.split());
            var trainSet = data.clips().selectIds(split.train());
            train = data.about(split.train(), false);
            validation = data.about(split.validation(), true);
            Map<String, Integer> answerIndex = new HashMap<>();
            for (int i = 0; i < data.answers().size(); i++) {
                answerIndex.put(data.answers().get(i), i);
            }
            TextModel textModel = TextModel.of(config.textModel());
            if (resumed != null) {
                state = resumed.taskState(QaState.class);
            } else {
                TreeSet<String> words = new TreeSet<>();
                train.forEach(q -> words.addAll(Questions.words(q.question())));
                state = new QaState(data.clips().frames(), data.clips().video().dim(), data.clips().audio().dim(),
                        textModel.id(), textModel.dimension(), data.answers().toArray(String[]::new),
                        words.toArray(String[]::new), priorAnswers(train, data.answers()),
                        FeatureNormalizer.fit(trainSet.video()), FeatureNormalizer.fit(trainSet.audio()));
            }
            video = state.videoNormalizer().apply(data.clips().video());
            audio = state.audioNormalizer().apply(data.clips().audio());
            Map<String, Integer> clipAt = data.clipIndex();
            trainClips = train.stream().mapToInt(q -> clipAt.get(q.clip())).toArray();
            trainAnswers = train.stream().mapToLong(q -> {
                Integer a = answerIndex.get(q.answer());
                if (a == null) {
                    throw new IllegalStateException("answer " + q.answer() + " outside the vocabulary");
                }
                return a;
            }).toArray();
            validationClips = validation.stream().mapToInt(q -> clipAt.get(q.clip())).toArray();
            if (config.eventWeight() > 0) {
                var segments = vidkit.localization.EventSegments.read(config.dataPath().resolve(
                        vidkit.data.PairedDataset.LABELS_FILE), data.clips().ids(), data.clips().frames());
                events = new float[segments.size()][data.clips().frames()];
                for (int c = 0; c < events.length; c++) {
                    for (int t = segments.get(c).start(); t < segments.get(c).end(); t++) {
                        events[c][t] = 1f;
                    }
                }
            } else {
                events = null;
            }
            tokens = new QuestionTokens(textModel, 1);
            List<String> texts = new ArrayList<>();
            train.forEach(q -> texts.add(q.question()));
            validation.forEach(q -> texts.add(q.question()));
            tokens.encodeAll(texts);
            tokens.close(); // every text is encoded; the ONNX session is not needed while training
            out.printf("  data %s: %d clips [%d seconds; video %d, audio %d]; %d questions, %d answers; train %d clips "
                    + "(%d questions in seen phrasings), validation %d clips (%d questions, %d in held-out phrasings)%n",
                    config.data(), data.clips().size(), state.frames(), state.videoDim(), state.audioDim(),
                    data.questions().size(), state.answers().length, split.train().size(), train.size(),
                    split.validation().size(), validation.size(),
                    validation.stream().filter(Question::heldOut).count());
        }

        /** The most frequent answer of each type among {@code questions}; ties to the answer first in {@code answers}. */
        static Map<String, String> priorAnswers(List<Question> questions, List<String> answers) {
            Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
            for (Question q : questions) {
                counts.computeIfAbsent(q.type(), t -> new HashMap<>()).merge(q.answer(), 1, Integer::sum);
            }
            Map<String, String> prior = new LinkedHashMap<>();
            counts.forEach((type, c) -> {
                String best = null;
                for (String a : answers) {
                    if (c.containsKey(a) && (best == null || c.get(a) > c.get(best))) {
                        best = a;
                    }
                }
                prior.put(type, best);
            });
            return prior;
        }

        @Override
        public Path dataPath() {
            return config.dataPath();
        }

        @Override
        public String dataFingerprint() {
            return fingerprint;
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
            model = TrainedAnswerer.newModel(config, m, state);
            return model;
        }

        @Override
        public NDArray loss(ParameterStore ps, NDManager bm, int[] idx, Random random) {
            int[] clips = new int[idx.length];
            long[] labels = new long[idx.length];
            List<String> texts = new ArrayList<>(idx.length);
            for (int i = 0; i < idx.length; i++) {
                clips[i] = trainClips[idx[i]];
                labels[i] = trainAnswers[idx[i]];
                texts.add(train.get(idx[i]).question());
            }
            NDArray v = TrainedAnswerer.clips(bm, video, clips, config.noise());
            NDArray a = TrainedAnswerer.clips(bm, audio, clips, config.noise());
            NDArray[] q = tokens.batch(bm, texts);
            VideoQuestionAnswerer.Output o = model.forward(ps, v, a, q[0], q[1], true);
            NDArray loss = Losses.softmaxCrossEntropy(o.logits(), bm.create(labels), config.labelSmoothing());
            if (events != null && o.eventLogits() != null) {
                int frames = state.frames();
                float[] target = new float[idx.length * frames];
                for (int i = 0; i < idx.length; i++) {
                    System.arraycopy(events[clips[i]], 0, target, i * frames, frames);
                }
                loss = loss.add(Scalars.times(Losses.softBinaryCrossEntropy(o.eventLogits(), bm.create(target,
                        new ai.djl.ndarray.types.Shape(idx.length, frames))), config.eventWeight().floatValue()));
            }
            if (o.videoReconstruction() != null && config.reconstructionWeight() > 0) {
                NDArray clean = TrainedAnswerer.clips(bm, video, clips, 0);
                NDArray cleanA = TrainedAnswerer.clips(bm, audio, clips, 0);
                NDArray rec = Losses.meanSquaredError(o.videoReconstruction(), clean)
                        .add(Losses.meanSquaredError(o.audioReconstruction(), cleanA));
                loss = loss.add(Scalars.times(rec, config.reconstructionWeight().floatValue()));
            }
            return loss;
        }

        @Override
        public Validation validate() {
            float[][] p = TrainedAnswerer.probabilities(manager, model, tokens, video, audio, validationClips,
                    validation.stream().map(Question::question).toList());
            QaEvaluation.Row row = QaEvaluation.row("model", null, validation, QaEvaluation.argmax(p, state.answers()));
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", row.accuracy());
            metrics.put("held_out_accuracy", row.heldOutAccuracy());
            StringBuilder types = new StringBuilder();
            for (QaEvaluation.TypeAccuracy t : row.types()) {
                metrics.put(t.type().replace('-', '_'), t.seen());
                types.append(String.format(java.util.Locale.ROOT, "  %s %.3f", t.type(), t.seen()));
            }
            return new Validation(metrics, "accuracy", String.format(java.util.Locale.ROOT,
                    "val accuracy %.4f (held-out phrasings %.4f)%s", row.accuracy(), row.heldOutAccuracy(), types));
        }

        @Override
        public JsonNode state() {
            return Json.MAPPER.valueToTree(state);
        }

        @Override
        public QaEvaluation.Result evaluate(RunDirectory run, PrintStream out) throws IOException {
            return QaEvaluation.evaluate(List.of(run), data, null, out); // the data this job loaded
        }
    }
}
