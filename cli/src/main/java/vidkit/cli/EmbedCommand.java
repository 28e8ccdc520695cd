package vidkit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.data.FeatureSet;
import vidkit.index.EmbeddingLibrary;
import vidkit.core.PredictionRequest;
import vidkit.core.RunDirectory;
import vidkit.core.TaskRegistry;
import vidkit.matching.TrainedMatcher;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed videos into an embedding library file (searchable with 'vidkit index search', served by "
                + "'vidkit serve --video-library'): a directory of one modality's feature files (ID.npy) with a "
                + "two-tower or CCA run (--modality), or YouTube-8M shards with a similarity run.")
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A twotower, cca or similarity run directory.")
    Path run;

    @Option(names = "--data", required = true, description = "Directory of feature files ID.npy (e.g. DIR/afeat); for a "
            + "similarity run, YouTube-8M video-level shards (file, directory or glob).")
    String data;

    @Option(names = "--modality", description = "audio or video: which tower of a twotower or cca run embeds the files.")
    String modality;

    @Option(names = "--out", required = true, description = "The library file to write (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        RunDirectory dir = RunDirectory.open(run);
        if (TaskRegistry.forRun(dir) instanceof vidkit.similarity.SimilarityTask) {
            if (modality != null) {
                throw new IllegalArgumentException("--modality is for twotower and cca runs; a similarity run embeds "
                        + "whole videos (both modalities)");
            }
            TaskRegistry.forRun(dir).predict(new PredictionRequest(dir, data, out, 0), System.out);
            return 0;
        }
        if (modality == null) {
            throw new IllegalArgumentException("--modality (audio or video) is required with a twotower or cca run");
        }
        boolean video = Options.modality(modality);
        FeatureSet set = FeatureSet.load(Path.of(data));
        try (TrainedMatcher matcher = TrainedMatcher.load(dir.inferenceCheckpoint())) {
            float[] vectors = matcher.embed(set, video);
            EmbeddingLibrary.write(out, set.ids(), vectors, matcher.embeddingDim());
            System.out.printf("embedded %d %s clips (%d dimensions) into %s%n", set.size(), video ? "video" : "audio",
                    matcher.embeddingDim(), out);
        }
        return 0;
    }
}
