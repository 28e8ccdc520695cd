package vidkit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.core.Json;
import vidkit.data.AtomicFiles;
import vidkit.data.Split;
import vidkit.data.SplitConfig;
import vidkit.data.Splitter;
import vidkit.data.TaggingDataset;
import vidkit.eval.SimilarityMetrics;
import vidkit.similarity.Pair;
import vidkit.similarity.PairsFile;
import vidkit.similarity.ReferencePairs;

@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = "Judged video pairs for the similarity task (id1,id2,score files).",
        subcommands = {PairsCommand.Make.class, PairsCommand.Evaluate.class})
final class PairsCommand {
    @Command(name = "make", mixinStandardHelpOptions = true,
            description = "Derive pair scores from YouTube-8M labels by the reference definition (issue 15: 0.8 x idf-weighted "
                    + "label cosine + 0.2 x Jaccard of the labels' Vertical1, rounded to 0.05), on a seeded split: "
                    + "OUT/train-pairs.csv, OUT/validation-pairs.csv, OUT/split/, OUT/pairs.json. The scores are derived, "
                    + "not human judgements.")
    static final class Make implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "YouTube-8M shards (file, directory or glob).")
        String data;

        @Option(names = "--vocabulary", required = true, description = "YouTube-8M vocabulary.csv (for Vertical1).")
        Path vocabulary;

        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;

        @Option(names = "--train-pairs", defaultValue = "60000") int trainPairs;
        @Option(names = "--validation-pairs", defaultValue = "30000") int validationPairs;
        @Option(names = "--validation-fraction", defaultValue = "0.2") double validationFraction;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--frame-level", description = "The shards are frame level.") boolean frameLevel;

        @Override
        public Integer call() throws Exception {
            TaggingDataset d = TaggingDataset.load(data, frameLevel, 300, vocabulary, false, System.err, null);
            // the split the tagging configs use on these shards (seeded, neither stratified nor grouped)
            Split split = Splitter.split(d.ids(), null, null, new SplitConfig(validationFraction, seed, false, false, null,
                    null));
            Map<String, Integer> row = new HashMap<>();
            for (int i = 0; i < d.size(); i++) {
                row.put(d.ids().get(i), i);
            }
            List<int[]> trainLabels = new ArrayList<>();
            for (String id : split.train()) {
                trainLabels.add(d.labels()[row.get(id)]);
            }
            List<int[]> valLabels = new ArrayList<>();
            for (String id : split.validation()) {
                valLabels.add(d.labels()[row.get(id)]);
            }
            double[] idf = ReferencePairs.idf(trainLabels, d.classes());
            String[] vertical = ReferencePairs.verticals(vocabulary, d.classes());
            Random random = new Random(seed);
            List<Pair> train = ReferencePairs.draw(split.train(), trainLabels, trainPairs, idf, vertical, random);
            List<Pair> val = ReferencePairs.draw(split.validation(), valLabels, validationPairs, idf, vertical, random);
            Files.createDirectories(out);
            split.write(out.resolve("split"));
            PairsFile.write(out.resolve("train-pairs.csv"), train);
            PairsFile.write(out.resolve("validation-pairs.csv"), val);
            var meta = Json.MAPPER.createObjectNode();
            meta.put("definition", "round20(0.8 * cos(idf-weighted label indicators) + 0.2 * Jaccard(Vertical1 sets)); "
                    + "1/3 uniform pairs, 2/3 pairs sharing a label; derived from YouTube-8M labels, not human judgements");
            meta.put("data", data);
            meta.put("dataFingerprint", d.fingerprint());
            meta.put("seed", seed);
            meta.put("trainVideos", split.train().size());
            meta.put("validationVideos", split.validation().size());
            meta.put("trainPairs", train.size());
            meta.put("validationPairs", val.size());
            AtomicFiles.writeString(out.resolve("pairs.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(meta));
            double[] mean = {0, 0};
            for (Pair p : train) {
                mean[0] += p.score() / train.size();
            }
            for (Pair p : val) {
                mean[1] += p.score() / val.size();
            }
            System.out.printf(Locale.ROOT, "%d train pairs among %d videos (mean score %.3f), %d validation pairs among %d "
                    + "videos (mean %.3f), in %s — derived scores, not human judgements%n", train.size(), split.train().size(),
                    mean[0], val.size(), split.validation().size(), mean[1], out);
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Score a pairs file with the cosine of the videos' raw video-level features (mean_rgb and "
                    + "mean_audio, concatenated): Spearman's rho with its bootstrap interval, MSE, precision@10%.")
    static final class Evaluate implements Callable<Integer> {
        @Option(names = "--pairs", required = true, description = "An id1,id2,score file.")
        Path pairs;

        @Option(names = "--data", required = true, description = "YouTube-8M video-level shards.")
        String data;

        @Option(names = "--bootstrap", defaultValue = "1000") int bootstrap;

        @Override
        public Integer call() throws Exception {
            TaggingDataset d = TaggingDataset.load(data, false, 1, null, false, System.err, null);
            Map<String, Integer> row = new HashMap<>();
            for (int i = 0; i < d.size(); i++) {
                row.put(d.ids().get(i), i);
            }
            List<Pair> list = PairsFile.read(pairs, new HashSet<>(d.ids()));
            double[] predicted = new double[list.size()];
            double[] truth = new double[list.size()];
            for (int k = 0; k < list.size(); k++) {
                predicted[k] = cosine(d, row.get(list.get(k).id1()), row.get(list.get(k).id2()));
                truth[k] = list.get(k).score();
            }
            SimilarityMetrics m = SimilarityMetrics.of(predicted, truth, bootstrap, 1);
            System.out.printf(Locale.ROOT, "raw-feature cosine on %d pairs of %s: Spearman %.4f [%.4f, %.4f]  MSE %.4f  "
                    + "precision@10%% %.4f%n", m.pairs(), pairs, m.spearman(), m.low(), m.high(), m.mse(), m.precisionAt10());
            return 0;
        }

        private static double cosine(TaggingDataset d, int a, int b) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (List<float[]> f : List.of(d.visual(), d.audio())) {
                float[] x = f.get(a);
                float[] y = f.get(b);
                for (int i = 0; i < x.length; i++) {
                    dot += x[i] * y[i];
                    na += x[i] * x[i];
                    nb += y[i] * y[i];
                }
            }
            return dot / Math.sqrt(na * nb);
        }
    }
}
