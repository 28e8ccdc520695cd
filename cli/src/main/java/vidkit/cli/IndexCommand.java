package vidkit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.data.AtomicFiles;
import vidkit.data.FeatureSet;
import vidkit.index.EmbeddingLibrary;
import vidkit.index.ExactSearch;
import vidkit.train.RunDirectory;
import vidkit.train.TrainedMatcher;

@Command(name = "index", mixinStandardHelpOptions = true, description = "Search embedding libraries.",
        subcommands = {IndexCommand.Search.class})
final class IndexCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Embed query clips with a two-tower run's other tower and find each one's top k in a library "
                    + "(exact search, Vector API); writes query_id,rank,library_id,score.")
    static final class Search implements Callable<Integer> {
        @Option(names = "--library", required = true, description = "An embedding library (vidkit embed).")
        Path library;

        @Option(names = "--run", required = true, description = "The twotower run that embedded the library.")
        Path run;

        @Option(names = "--queries", required = true, description = "Directory of the query clips' feature files ID.npy.")
        Path queries;

        @Option(names = "--modality", required = true, description = "The queries' modality: video (search audios) or audio.")
        String modality;

        @Option(names = "-k", defaultValue = "10", description = "Hits per query (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--out", required = true, description = "The CSV to write (atomically).")
        Path out;

        @Override
        public Integer call() throws Exception {
            boolean video = Options.modality(modality);
            FeatureSet set = FeatureSet.load(queries);
            int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
            try (TrainedMatcher matcher = TrainedMatcher.load(RunDirectory.open(run).inferenceCheckpoint());
                    EmbeddingLibrary lib = EmbeddingLibrary.open(library)) {
                if (lib.dim() != matcher.embeddingDim()) {
                    throw new IllegalArgumentException(library + " holds " + lib.dim() + "-d embeddings; the run embeds "
                            + matcher.embeddingDim() + "-d");
                }
                float[] q = matcher.embed(set, video);
                long t0 = System.nanoTime();
                List<List<ExactSearch.Hit>> hits = ExactSearch.search(lib, q, set.size(), k, threads);
                double seconds = (System.nanoTime() - t0) / 1e9;
                StringBuilder csv = new StringBuilder("query_id,rank,library_id,score\n");
                for (int i = 0; i < set.size(); i++) {
                    for (int r = 0; r < hits.get(i).size(); r++) {
                        ExactSearch.Hit h = hits.get(i).get(r);
                        csv.append(vidkit.data.Csv.quote(set.ids().get(i))).append(',').append(r + 1).append(',')
                                .append(vidkit.data.Csv.quote(lib.ids().get(h.index())))
                                .append(String.format(Locale.ROOT, ",%.6f%n", h.score()));
                    }
                }
                AtomicFiles.writeString(out, csv.toString());
                System.out.printf(Locale.ROOT, "searched %d queries in %d library items (exact) in %.3f s; top %d in %s%n",
                        set.size(), lib.size(), seconds, k, out);
            }
            return 0;
        }
    }
}
