package vidkit.qa;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vidkit.core.Json;
import vidkit.core.PredictionRequest;
import vidkit.core.ReportItem;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.data.Split;

/**
 * Evaluates question-answering runs on the same questions: the first run's validation clips (every
 * question about them, in seen and held-out phrasings) or a given questions file. Accuracy overall
 * and per question type, seen and held-out phrasings apart; the first run's "when" answers (types
 * {@code when-start}, {@code when-end}, {@code how-long}) as a confusion matrix and a mean error in
 * seconds; the prior baseline (each type's most frequent training answer) beside every run given.
 * Further runs (baselines) must have been trained on the same split. Writes {@code evaluation.json}
 * into the first run.
 *
 * <p>Rules: an answer is right when it equals the true one exactly; the prediction is the most
 * probable answer of the whole vocabulary (ties: the answer first in the vocabulary). The "when"
 * error uses the most probable <em>numeric</em> answer, so it is defined for every question.
 */
public final class QaEvaluation {
    /** Types whose answers are seconds. */
    static final List<String> WHEN_TYPES = List.of("when-start", "when-end", "how-long");

    private QaEvaluation() {}

    /** A type's accuracy on seen and on held-out phrasings ({@code NaN} where it has no such question). */
    public record TypeAccuracy(String type, int seenQuestions, double seen, int heldOutQuestions, double heldOut) {}

    /** One model's (or baseline's) accuracies. */
    public record Row(String model, String run, double accuracy, double heldOutAccuracy, List<TypeAccuracy> types) {}

    /** The first run's answers to one "when" type: confusion {@code [true][predicted]} over {@code labels}, mean error in seconds. */
    public record WhenAnswers(String type, double meanError, List<String> labels, int[][] confusion) {}

    /**
     * @param questions evaluated questions ({@code seen + heldOut})
     * @param answersPerSecond the first run's answering rate on these questions (one thread, batches of 256, text
     *     encoding included)
     */
    public record Result(String data, String questionsFile, String checkpoint, int clips, int questions,
            int heldOutQuestions, double answersPerSecond, List<Row> rows, List<WhenAnswers> when) {}

    static String[] argmax(float[][] p, String[] answers) {
        String[] out = new String[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int j = 1; j < p[i].length; j++) {
                if (p[i][j] > p[i][best]) {
                    best = j;
                }
            }
            out[i] = answers[best];
        }
        return out;
    }

    /** Accuracies of {@code predicted} (one per question). Types in {@link QuestionGenerator#TYPES} order, others after. */
    static Row row(String model, String run, List<Question> questions, String[] predicted) {
        Map<String, int[]> byType = new LinkedHashMap<>();
        for (String t : QuestionGenerator.TYPES) {
            byType.put(t, new int[4]);
        }
        int[] all = new int[4];
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.get(i);
            int[] c = byType.computeIfAbsent(q.type(), t -> new int[4]);
            int at = q.heldOut() ? 2 : 0;
            int right = q.answer().equals(predicted[i]) ? 1 : 0;
            c[at] += 1;
            c[at + 1] += right;
            all[at] += 1;
            all[at + 1] += right;
        }
        List<TypeAccuracy> types = new ArrayList<>();
        byType.forEach((t, c) -> {
            if (c[0] + c[2] > 0) {
                types.add(new TypeAccuracy(t, c[0], share(c[1], c[0]), c[2], share(c[3], c[2])));
            }
        });
        return new Row(model, run, share(all[1], all[0]), share(all[3], all[2]), types);
    }

    private static double share(int right, int total) {
        return total == 0 ? Double.NaN : (double) right / total;
    }

    /** The "when" answers of one type; the prediction is the most probable numeric answer. */
    static WhenAnswers when(String type, List<Question> questions, float[][] p, String[] answers) {
        List<Integer> numeric = new ArrayList<>();
        int max = 0;
        for (int j = 0; j < answers.length; j++) {
            if (answers[j].matches("\\d{1,4}")) {
                numeric.add(j);
                max = Math.max(max, Integer.parseInt(answers[j]));
            }
        }
        List<String> labels = new ArrayList<>();
        for (int s = 0; s <= max; s++) {
            labels.add(Integer.toString(s));
        }
        int[][] confusion = new int[max + 1][max + 1];
        double error = 0;
        int n = 0;
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.get(i);
            if (!q.type().equals(type) || !q.answer().matches("\\d{1,4}") || numeric.isEmpty()) {
                continue;
            }
            int best = numeric.get(0);
            for (int j : numeric) {
                if (p[i][j] > p[i][best]) {
                    best = j;
                }
            }
            int truth = Integer.parseInt(q.answer());
            int guess = Integer.parseInt(answers[best]);
            if (truth <= max) {
                confusion[truth][guess]++;
            }
            error += Math.abs(truth - guess);
            n++;
        }
        return n == 0 ? null : new WhenAnswers(type, error / n, labels, confusion);
    }

    /** Evaluates {@code runs} (the model first, then baselines) on the first run's validation clips or on {@code questionsFile}. */
    public static Result evaluate(List<RunDirectory> runs, String questionsFile, PrintStream out) throws IOException {
        return evaluate(runs, null, questionsFile, out);
    }

    /** As {@link #evaluate(List, String, PrintStream)}, with the first run's data already loaded (or {@code null}). */
    static Result evaluate(List<RunDirectory> runs, QaData loaded, String questionsFile, PrintStream out) throws IOException {
        RunDirectory first = runs.get(0);
        try (TrainedAnswerer model = TrainedAnswerer.load(first.inferenceCheckpoint())) {
            QaConfig config = model.config();
            QaData data = loaded != null ? loaded : QaData.load(config);
            Split split = Split.read(first.splitDir());
            List<Question> questions;
            if (questionsFile == null) {
                questions = data.about(split.validation(), true);
            } else {
                questions = QuestionsFile.read(Path.of(questionsFile), new HashSet<>(data.clips().ids()), null);
            }
            var clipAt = data.clipIndex();
            int[] clips = questions.stream().mapToInt(q -> clipAt.get(q.clip())).toArray();
            List<String> texts = questions.stream().map(Question::question).toList();
            List<Row> rows = new ArrayList<>();
            long start = System.nanoTime();
            float[][] p = scores(model, data, clips, texts);
            double seconds = (System.nanoTime() - start) / 1e9;
            rows.add(row(config.model().type().name().toLowerCase(Locale.ROOT), first.path().toString(), questions,
                    argmax(p, model.state().answers())));
            for (RunDirectory r : runs.subList(1, runs.size())) {
                if (questionsFile == null && !Split.read(r.splitDir()).validation().equals(split.validation())) {
                    throw new InvalidDataException(r.path(), "was trained on another split than " + first.path()
                            + ": a baseline must share the model's validation clips (same data, split and seed)");
                }
                try (TrainedAnswerer b = TrainedAnswerer.load(r.inferenceCheckpoint())) {
                    float[][] pb = scores(b, data, clips, texts);
                    rows.add(row(b.config().model().type().name().toLowerCase(Locale.ROOT), r.path().toString(), questions,
                            argmax(pb, b.state().answers())));
                }
            }
            String[] prior = new String[questions.size()];
            for (int i = 0; i < prior.length; i++) {
                prior[i] = model.state().priorAnswers().getOrDefault(questions.get(i).type(), "");
            }
            rows.add(row("prior", null, questions, prior));
            List<WhenAnswers> when = new ArrayList<>();
            for (String t : WHEN_TYPES) {
                WhenAnswers w = when(t, questions, p, model.state().answers());
                if (w != null) {
                    when.add(w);
                }
            }
            int heldOut = (int) questions.stream().filter(Question::heldOut).count();
            Result result = new Result(config.data(), questionsFile == null ? config.questions() : questionsFile,
                    first.inferenceCheckpoint().toString(), (int) questions.stream().map(Question::clip).distinct().count(),
                    questions.size(), heldOut, questions.size() / Math.max(seconds, 1e-9), rows, when);
            AtomicFiles.writeString(first.evaluation(), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(result));
            print(result, out);
            return result;
        }
    }

    private static float[][] scores(TrainedAnswerer m, QaData data, int[] clips, List<String> texts)
            throws InvalidDataException {
        QaState s = m.state();
        if (s.videoDim() != data.clips().video().dim() || s.audioDim() != data.clips().audio().dim()
                || s.frames() != data.clips().frames()) {
            throw new InvalidDataException(data.clips().root(), "clips of [" + data.clips().frames() + " seconds, "
                    + data.clips().video().dim() + " + " + data.clips().audio().dim() + "]; the run was trained on ["
                    + s.frames() + ", " + s.videoDim() + " + " + s.audioDim() + "]");
        }
        FeatureSet v = s.videoNormalizer().apply(data.clips().video());
        FeatureSet a = s.audioNormalizer().apply(data.clips().audio());
        return m.probabilities(v, a, clips, texts);
    }

    static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "%d questions about %d clips (%d in held-out phrasings); for files made by `vidkit qa "
                + "generate`: generated questions, answers from the AVE annotations%n", r.questions(), r.clips(), r.heldOutQuestions());
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-10s %8s %8s", "model", "all", "held-out"));
        for (TypeAccuracy t : r.rows().get(0).types()) {
            h.append(String.format(Locale.ROOT, " %15s", t.type()));
        }
        out.println(h);
        for (Row row : r.rows()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s %8.4f %8.4f", row.model(),
                    row.accuracy(), row.heldOutAccuracy()));
            for (TypeAccuracy t : row.types()) {
                line.append(String.format(Locale.ROOT, "   %6.3f / %5.3f", t.seen(), t.heldOut()));
            }
            out.println(line);
        }
        out.println("(per type: seen / held-out phrasings)");
        for (WhenAnswers w : r.when()) {
            out.printf(Locale.ROOT, "%s: mean error %.3f s%n", w.type(), w.meanError());
        }
        out.printf(Locale.ROOT, "answers/s: %.0f%n", r.answersPerSecond());
    }

    /** {@code vidkit predict}: answers every question of a questions file, top-k each, as JSON lines. */
    static void predict(PredictionRequest r, PrintStream out) throws IOException {
        try (TrainedAnswerer model = TrainedAnswerer.load(r.run().inferenceCheckpoint())) {
            // the run's clips only: the training questions file need not exist any more
            QaData data = new QaData(vidkit.data.PairedDataset.load(model.config().dataPath()), List.of(),
                    List.of(model.state().answers()));
            List<Question> questions = QuestionsFile.read(Path.of(r.data()), new HashSet<>(data.clips().ids()), null);
            var clipAt = data.clipIndex();
            int[] clips = questions.stream().mapToInt(q -> clipAt.get(q.clip())).toArray();
            float[][] p = scores(model, data, clips, questions.stream().map(Question::question).toList());
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < questions.size(); i++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("clip", questions.get(i).clip());
                line.put("question", questions.get(i).question());
                line.put("answers", TrainedAnswerer.top(p[i], model.state().answers(), r.topK()));
                sb.append(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(line)).append('\n');
            }
            AtomicFiles.writeString(r.out(), sb.toString());
            out.printf("%d questions answered → %s%n", questions.size(), r.out());
        }
    }

    static List<ReportItem> reportItems(RunDirectory run) throws IOException {
        List<ReportItem> items = new ArrayList<>();
        if (!Files.exists(run.evaluation())) {
            return items;
        }
        Result r = Json.MAPPER.readValue(run.evaluation().toFile(), Result.class);
        for (Row row : r.rows()) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (TypeAccuracy t : row.types()) {
                names.add(t.type() + " seen");
                values.add(t.seen());
                names.add(t.type() + " held-out");
                values.add(t.heldOut());
            }
            items.add(new ReportItem.Bars("Accuracy per question type: " + row.model(), "type", "accuracy", names, values));
        }
        for (WhenAnswers w : r.when()) {
            double[][] v = new double[w.confusion().length][];
            for (int i = 0; i < v.length; i++) {
                v[i] = java.util.Arrays.stream(w.confusion()[i]).asDoubleStream().toArray();
            }
            items.add(new ReportItem.HeatMap(String.format(Locale.ROOT, "%s answers (mean error %.2f s)", w.type(),
                    w.meanError()), "predicted second", "true second", w.labels(), w.labels(), v));
        }
        return items;
    }
}
