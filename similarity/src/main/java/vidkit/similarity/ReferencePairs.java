package vidkit.similarity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import vidkit.data.Csv;
import vidkit.data.InvalidDataException;
import vidkit.data.Split;
import vidkit.data.SplitConfig;
import vidkit.data.Splitter;
import vidkit.data.TaggingDataset;

/**
 * The reference pair scores of issue 15 — derived from YouTube-8M labels, standing in for human
 * judgements (say so wherever results are shown):
 * {@code score(a, b) = round20(0.8 · cos(w_a, w_b) + 0.2 · J(V_a, V_b))}, where {@code w} is a
 * video's label indicator over all classes weighted by {@code idf(c) = ln((N + 1) / (df(c) + 1)) +
 * 1} (document frequencies over the {@code N} training videos), {@code V} the set of {@code
 * Vertical1} values of its labels, {@code J} the Jaccard index (0 when both sets are empty) and
 * {@code round20} rounding to a multiple of 0.05 (halves up). Pairs are drawn, seeded, one third
 * uniformly at random and two thirds as (a, a random video sharing one of a's labels); never a
 * video with itself, never a pair twice, never across the two sides of a split (each side's pairs
 * are drawn among its own videos). On a small set whose label-sharing pairs run out, the remaining
 * pairs are uniform.
 */
public final class ReferencePairs {
    private ReferencePairs() {}

    /** {@code idf[c] = ln((N + 1) / (df(c) + 1)) + 1} over {@code labels} (the training videos'). */
    public static double[] idf(List<int[]> labels, int classes) {
        int[] df = new int[classes];
        for (int[] l : labels) {
            for (int c : new HashSet<>(java.util.Arrays.stream(l).boxed().toList())) {
                df[c]++;
            }
        }
        double[] idf = new double[classes];
        for (int c = 0; c < classes; c++) {
            idf[c] = Math.log((labels.size() + 1.0) / (df[c] + 1.0)) + 1;
        }
        return idf;
    }

    /** Each class's {@code Vertical1} from a YouTube-8M {@code vocabulary.csv} ({@code ""} when blank). */
    public static String[] verticals(Path vocabularyCsv, int classes) throws IOException {
        List<List<String>> rows = Csv.read(vocabularyCsv);
        if (rows.isEmpty()) {
            throw new InvalidDataException(vocabularyCsv, "is empty");
        }
        int index = rows.get(0).indexOf("Index");
        int vertical = rows.get(0).indexOf("Vertical1");
        if (index < 0 || vertical < 0) {
            throw new InvalidDataException(vocabularyCsv, "line 1: needs the columns Index and Vertical1");
        }
        String[] out = new String[classes];
        java.util.Arrays.fill(out, "");
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int c;
            try {
                c = Integer.parseInt(row.get(index));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new InvalidDataException(vocabularyCsv, "line " + (r + 1) + ": no class index");
            }
            if (c >= 0 && c < classes && row.size() > vertical) {
                out[c] = row.get(vertical).trim();
            }
        }
        return out;
    }

    /** The reference score of two label sets (see the class). */
    public static double score(int[] a, int[] b, double[] idf, String[] vertical) {
        Set<Integer> sa = new HashSet<>();
        for (int c : a) {
            sa.add(c);
        }
        Set<Integer> sb = new HashSet<>();
        for (int c : b) {
            sb.add(c);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int c : sa) {
            na += idf[c] * idf[c];
            if (sb.contains(c)) {
                dot += idf[c] * idf[c];
            }
        }
        for (int c : sb) {
            nb += idf[c] * idf[c];
        }
        double cos = na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
        Set<String> va = new HashSet<>();
        for (int c : sa) {
            if (!vertical[c].isEmpty()) {
                va.add(vertical[c]);
            }
        }
        Set<String> vb = new HashSet<>();
        for (int c : sb) {
            if (!vertical[c].isEmpty()) {
                vb.add(vertical[c]);
            }
        }
        Set<String> union = new HashSet<>(va);
        union.addAll(vb);
        Set<String> both = new HashSet<>(va);
        both.retainAll(vb);
        double jaccard = union.isEmpty() ? 0 : (double) both.size() / union.size();
        return Math.floor((0.8 * cos + 0.2 * jaccard) * 20 + 0.5 + 1e-9) / 20;
    }

    /**
     * {@code count} pairs among {@code ids} (with their {@code labels}), drawn as the class says.
     *
     * @throws IllegalArgumentException when fewer distinct pairs exist than asked for
     */
    public static List<Pair> draw(List<String> ids, List<int[]> labels, int count, double[] idf, String[] vertical,
            Random random) {
        int n = ids.size();
        if (n < 2 || count > (long) n * (n - 1) / 4) {
            throw new IllegalArgumentException(count + " pairs are too many for " + n + " videos");
        }
        Map<Integer, List<Integer>> byClass = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (int c : labels.get(i)) {
                byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
            }
        }
        Set<Long> seen = new HashSet<>();
        List<Pair> out = new ArrayList<>(count);
        int attempts = 0;
        int misses = 0; // label-sharing draws in a row that found nothing new
        while (out.size() < count) {
            if (++attempts > 50L * count + 1000) {
                throw new IllegalArgumentException("could not draw " + count + " distinct pairs among " + n + " videos");
            }
            int a = random.nextInt(n);
            int b;
            boolean sharingExhausted = misses > 20 * n;
            if (out.size() % 3 == 0 || labels.get(a).length == 0 || sharingExhausted) {
                b = random.nextInt(n);
            } else {
                int[] la = labels.get(a);
                List<Integer> sharing = byClass.get(la[random.nextInt(la.length)]);
                b = sharing.get(random.nextInt(sharing.size()));
            }
            if (a == b) {
                misses++;
                continue;
            }
            long key = (long) Math.min(a, b) * n + Math.max(a, b);
            if (!seen.add(key)) {
                misses++;
                continue;
            }
            misses = 0;
            out.add(new Pair(ids.get(a), ids.get(b), score(labels.get(a), labels.get(b), idf, vertical)));
        }
        return out;
    }

    /** A pairs directory's content: the split and each side's pairs. */
    public record Made(Split split, List<Pair> train, List<Pair> validation) {
        /** Writes {@code train-pairs.csv}, {@code validation-pairs.csv}, {@code split/} and {@code pairs.json} into {@code out}. */
        public void write(Path out, String dataSpec, String dataFingerprint, long seed) throws IOException {
            java.nio.file.Files.createDirectories(out);
            split.write(out.resolve("split"));
            PairsFile.write(out.resolve("train-pairs.csv"), train);
            PairsFile.write(out.resolve("validation-pairs.csv"), validation);
            var meta = new java.util.LinkedHashMap<String, Object>();
            meta.put("definition", "round20(0.8 * cos(idf-weighted label indicators) + 0.2 * Jaccard(Vertical1 sets)); "
                    + "1/3 uniform pairs, 2/3 pairs sharing a label; derived from YouTube-8M labels, not human judgements");
            meta.put("data", dataSpec);
            meta.put("dataFingerprint", dataFingerprint);
            meta.put("seed", seed);
            meta.put("trainVideos", split.train().size());
            meta.put("validationVideos", split.validation().size());
            meta.put("trainPairs", train.size());
            meta.put("validationPairs", validation.size());
            vidkit.data.AtomicFiles.writeString(out.resolve("pairs.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter().writeValueAsString(meta));
        }

        /** Mean score of a side's pairs. */
        public static double meanScore(List<Pair> pairs) {
            return pairs.stream().mapToDouble(Pair::score).average().orElse(Double.NaN);
        }
    }

    /**
     * Pairs of {@code data}'s videos by the reference definition: the split the tagging configs use
     * on these shards (seeded, neither stratified nor grouped), idf from its training side, then
     * {@code validationPairs} and {@code trainPairs} drawn on each side, each side with its own
     * generator seeded from {@code seed}, so asking for more training pairs leaves the validation
     * pairs (and so every figure measured on them) unchanged.
     */
    public static Made make(TaggingDataset data, String[] vertical, int trainPairs, int validationPairs,
            double validationFraction, long seed) {
        Split split = Splitter.split(data.ids(), null, null, new SplitConfig(validationFraction, seed, false, false, null,
                null));
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            row.put(data.ids().get(i), i);
        }
        List<int[]> trainLabels = new ArrayList<>();
        for (String id : split.train()) {
            trainLabels.add(data.labels()[row.get(id)]);
        }
        List<int[]> validationLabels = new ArrayList<>();
        for (String id : split.validation()) {
            validationLabels.add(data.labels()[row.get(id)]);
        }
        double[] idf = idf(trainLabels, data.classes());
        List<Pair> validation = draw(split.validation(), validationLabels, validationPairs, idf, vertical,
                new Random(seed));
        List<Pair> train = draw(split.train(), trainLabels, trainPairs, idf, vertical, new Random(seed ^ 0x5DEECE66DL));
        return new Made(split, train, validation);
    }
}
