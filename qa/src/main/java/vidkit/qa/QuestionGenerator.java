package vidkit.qa;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.data.PairedDataset;
import vidkit.localization.EventSegments;

/**
 * Generates questions about AVE clips from their human annotations (class, start and end second) —
 * as MSVD-QA's questions were generated from captions and MUSIC-AVQA's from templates. Each type
 * has eight phrasings: six <em>seen</em>, which training uses, and two <em>held out</em>, which
 * only evaluation uses. Per clip and type: two questions in different seen phrasings and one in a
 * held-out phrasing, each drawn at random:
 *
 * <ul>
 *   <li>{@code what}: which of the events it is (the class name);
 *   <li>{@code when-start} / {@code when-end}: the second the event starts ({@code 0..9}) / ends
 *       ({@code 1..10}), as annotated ({@code [start, end)});
 *   <li>{@code how-long}: its length in seconds ({@code end - start});
 *   <li>{@code at-second}: whether the event happens during second {@code t} ({@code [t, t+1)},
 *       counted from 0 like the annotations): {@code yes}/{@code no}, asked only of clips that have
 *       both event and background seconds, seen phrasings once each way (balanced);
 *   <li>{@code is-it}: whether it is a given event: {@code yes} for its class, {@code no} for a
 *       distractor drawn from the three classes it is most easily confused with (the nearest class
 *       centroids of the mean-pooled, standardized features), seen phrasings once each way.
 * </ul>
 *
 * Only questions the annotations answer: a clip annotated with an empty segment gets no
 * when/how-long/at-second questions. The event is named in the when/how-long/is-it questions by its
 * class name's first part, lower-cased ("Race car, auto racing" → "race car"). Seeded: the same data
 * and seed give the same file.
 */
public final class QuestionGenerator {
    /** Question types, in report order. */
    public static final List<String> TYPES = List.of("what", "when-start", "when-end", "how-long", "at-second", "is-it");

    /** Seen phrasings per type: the first {@value #SEEN} of each list; the rest are held out of training. */
    static final int SEEN = 6;

    /** Phrasings per type ({@value #SEEN} seen, then 2 held out). {@code %s} = the event, {@code %d} = a second. */
    static final Map<String, List<String>> PHRASINGS = Map.of(
            "what", List.of("What is happening in the video?", "Which event does this clip show?",
                    "What can be seen and heard here?", "What is going on in this clip?", "Which of the events is this?",
                    "What does this video show?",
                    "What sort of event is taking place?", "Which event is shown here?"),
            "when-start", List.of("When does the %s start?", "At which second does the %s begin?",
                    "When can the %s first be seen and heard?", "At what second does the %s start?",
                    "When does the %s begin?", "What second does the %s start at?",
                    "From what second on is there %s?", "When is the %s first heard?"),
            "when-end", List.of("When does the %s end?", "At which second does the %s stop?",
                    "Until which second does the %s last?", "When does the %s finish?", "At what second does the %s end?",
                    "When does the %s stop?",
                    "When is the %s over?", "At which second is the %s gone?"),
            "how-long", List.of("How long does the %s last?", "For how many seconds is there %s?",
                    "How many seconds of %s are there?", "How long is the %s?",
                    "For how long can the %s be seen and heard?", "How many seconds does the %s go on?",
                    "What is the duration of the %s?", "How long does the %s take?"),
            "at-second", List.of("Is the event happening at second %d?", "At second %d, is the event taking place?",
                    "Is the event going on in second %d?", "Is there an event at second %d?",
                    "Can the event be seen and heard at second %d?", "Is something happening at second %d?",
                    "Does the event occur at second %d?", "During second %d, is the event present?"),
            "is-it", List.of("Is this a %s?", "Does the video show a %s?", "Is the sound in this clip a %s?",
                    "Is there a %s in this video?", "Is the event a %s?", "Do we hear a %s?",
                    "Could this be a %s?", "Is it a %s that we see and hear?"));

    private QuestionGenerator() {}

    /** The event's name in a question: the class name's first part, lower-cased, without parentheses. */
    static String spoken(String className) {
        String s = className.split(",")[0].replaceAll("\\(.*?\\)", "").strip();
        return s.toLowerCase(Locale.ROOT);
    }

    /** Generates the questions of every clip of a labelled AVE-style paired directory. */
    public static List<Question> generate(Path dir, long seed) throws IOException {
        PairedDataset d = PairedDataset.load(dir);
        if (d.labels() == null) {
            throw new InvalidDataException(dir, "has no labels.csv: questions are generated from each clip's class "
                    + "and annotated segment");
        }
        List<EventSegments.Segment> segments = EventSegments.read(dir.resolve(PairedDataset.LABELS_FILE), d.ids(),
                d.frames());
        Map<Integer, String> names = d.classNames();
        int classes = names.keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
        int[][] confusable = confusableClasses(d, classes, 3);
        Random random = new Random(seed);
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            String clip = d.ids().get(i);
            int label = d.labels().get(i).label();
            String event = names.get(label);
            String spoken = spoken(event);
            EventSegments.Segment s = segments.get(i);
            boolean annotated = s.end() > s.start();
            ask(out, random, clip, "what", null, event);
            if (annotated) {
                ask(out, random, clip, "when-start", spoken, Integer.toString(s.start()));
                ask(out, random, clip, "when-end", spoken, Integer.toString(s.end()));
                ask(out, random, clip, "how-long", spoken, Integer.toString(s.end() - s.start()));
            }
            if (annotated && s.end() - s.start() < d.frames()) {
                List<Integer> in = new ArrayList<>();
                List<Integer> outside = new ArrayList<>();
                for (int t = 0; t < d.frames(); t++) {
                    (t >= s.start() && t < s.end() ? in : outside).add(t);
                }
                int[] seen = twoSeen(random, "at-second");
                add(out, clip, "at-second", seen[0], in.get(random.nextInt(in.size())), "yes");
                add(out, clip, "at-second", seen[1], outside.get(random.nextInt(outside.size())), "no");
                boolean yes = random.nextBoolean();
                List<Integer> from = yes ? in : outside;
                add(out, clip, "at-second", heldOutPhrasing(random, "at-second"), from.get(random.nextInt(from.size())),
                        yes ? "yes" : "no");
            }
            int[] seen = twoSeen(random, "is-it");
            int distractor = confusable[label][random.nextInt(confusable[label].length)];
            out.add(question(clip, "is-it", seen[0], spoken, "yes"));
            out.add(question(clip, "is-it", seen[1], spoken(names.get(distractor)), "no"));
            boolean yes = random.nextBoolean();
            int other = confusable[label][random.nextInt(confusable[label].length)];
            out.add(question(clip, "is-it", heldOutPhrasing(random, "is-it"), spoken(names.get(yes ? label : other)),
                    yes ? "yes" : "no"));
        }
        return out;
    }

    /** Whether phrasing {@code p} of a type is held out of training. */
    static boolean isHeldOut(String type, int p) {
        return p >= SEEN;
    }

    /** One of the type's held-out phrasings, at random. */
    private static int heldOutPhrasing(Random random, String type) {
        return SEEN + random.nextInt(PHRASINGS.get(type).size() - SEEN);
    }

    /** Two different seen phrasings of a type. */
    private static int[] twoSeen(Random random, String type) {
        int a = random.nextInt(SEEN);
        int b = (a + 1 + random.nextInt(SEEN - 1)) % SEEN;
        return new int[] {a, b};
    }

    private static void ask(List<Question> out, Random random, String clip, String type, String event, String answer) {
        int[] seen = twoSeen(random, type);
        out.add(question(clip, type, seen[0], event, answer));
        out.add(question(clip, type, seen[1], event, answer));
        out.add(question(clip, type, heldOutPhrasing(random, type), event, answer));
    }

    private static void add(List<Question> out, String clip, String type, int phrasing, int second, String answer) {
        String text = String.format(Locale.ROOT, PHRASINGS.get(type).get(phrasing), second);
        out.add(new Question(clip, type, phrasing, isHeldOut(type, phrasing), text, answer));
    }

    private static Question question(String clip, String type, int phrasing, String event, String answer) {
        String template = PHRASINGS.get(type).get(phrasing);
        String text = event == null ? template : String.format(Locale.ROOT, template, event);
        return new Question(clip, type, phrasing, isHeldOut(type, phrasing), text, answer);
    }

    /**
     * For each class, the {@code k} other classes whose centroids are nearest (cosine) to its own;
     * a clip's vector is the mean over seconds of each modality, standardized per feature over all
     * clips, the two modalities concatenated. Ties go to the lower class index.
     */
    static int[][] confusableClasses(PairedDataset d, int classes, int k) {
        float[] video = meanStandardized(d.video());
        float[] audio = meanStandardized(d.audio());
        int dv = d.video().dim();
        int da = d.audio().dim();
        double[][] centroid = new double[classes][dv + da];
        int[] count = new int[classes];
        for (int i = 0; i < d.size(); i++) {
            int c = d.labels().get(i).label();
            count[c]++;
            for (int j = 0; j < dv; j++) {
                centroid[c][j] += video[i * dv + j];
            }
            for (int j = 0; j < da; j++) {
                centroid[c][dv + j] += audio[i * da + j];
            }
        }
        int[][] out = new int[classes][];
        for (int c = 0; c < classes; c++) {
            final int self = c;
            out[c] = java.util.stream.IntStream.range(0, classes).filter(o -> o != self && count[o] > 0).boxed()
                    .sorted((x, y) -> {
                        int cmp = Double.compare(cosine(centroid[self], centroid[y]), cosine(centroid[self], centroid[x]));
                        return cmp != 0 ? cmp : Integer.compare(x, y);
                    })
                    .limit(k).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /** Each clip's mean over seconds {@code [clips, dim]}, standardized per feature over the clips. */
    private static float[] meanStandardized(FeatureSet f) {
        int n = f.size();
        int t = f.frames();
        int dim = f.dim();
        float[] m = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                for (int j = 0; j < dim; j++) {
                    m[i * dim + j] += f.values()[(i * t + s) * dim + j] / t;
                }
            }
        }
        for (int j = 0; j < dim; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += m[i * dim + j];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (m[i * dim + j] - mean) * (m[i * dim + j] - mean);
            }
            double sd = Math.sqrt(var / n);
            for (int i = 0; i < n; i++) {
                m[i * dim + j] = (float) (sd > 0 ? (m[i * dim + j] - mean) / sd : 0);
            }
        }
        return m;
    }
}
