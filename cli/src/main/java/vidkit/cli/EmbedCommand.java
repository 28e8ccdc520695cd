package vidkit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.data.FeatureSet;
import vidkit.index.EmbeddingLibrary;
import vidkit.core.RunDirectory;
import vidkit.matching.TrainedMatcher;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed a directory of one modality's feature files (ID.npy) with a two-tower or CCA run into an "
                + "embedding library file (searchable with 'vidkit index search').")
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A twotower or cca run directory.")
    Path run;

    @Option(names = "--data", required = true, description = "Directory of feature files ID.npy (e.g. DIR/afeat).")
    Path data;

    @Option(names = "--modality", required = true, description = "audio or video: which tower embeds the files.")
    String modality;

    @Option(names = "--out", required = true, description = "The library file to write (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        boolean video = Options.modality(modality);
        FeatureSet set = FeatureSet.load(data);
        try (TrainedMatcher matcher = TrainedMatcher.load(RunDirectory.open(run).inferenceCheckpoint())) {
            float[] vectors = matcher.embed(set, video);
            EmbeddingLibrary.write(out, set.ids(), vectors, matcher.embeddingDim());
            System.out.printf("embedded %d %s clips (%d dimensions) into %s%n", set.size(), video ? "video" : "audio",
                    matcher.embeddingDim(), out);
        }
        return 0;
    }
}
