package vidkit.similarity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import vidkit.data.InvalidDataException;
import vidkit.data.Shards;
import vidkit.data.TaggingDataset;
import vidkit.data.Vocabulary;
import vidkit.data.Yt8mReader;
import vidkit.data.Yt8mVideo;
import vidkit.index.EmbeddingLibrary;

/**
 * Embeds whole libraries with a similarity run: {@code vidkit embed} / {@code vidkit predict} and the
 * Spark embed job.
 *
 * <p><b>Batching rule</b> (so both give the same vectors bit for bit): shards are read and embedded
 * one at a time, each shard's videos in batches of {@value TrainedSimilarity#BATCH} from the shard's
 * first video; a batch never spans two shards. Equal bits also need equal PyTorch intra-op thread
 * counts.
 */
public final class SimilarityEmbeddings {
    private SimilarityEmbeddings() {}

    /** How to read shards for this model: video or frame level (a blend: its first member's). */
    public static Yt8mReader.Options readOptions(TrainedSimilarity model) {
        return (model.frameLevel() ? Yt8mReader.Options.frameLevel(Vocabulary.YT8M_CLASSES, model.config().maxFrames())
                : Yt8mReader.Options.videoLevel(Vocabulary.YT8M_CLASSES)).withThreads(1);
    }

    /** Unit embeddings {@code [videos, E]} of one shard's videos (scored as one unit), in order. */
    public static float[] embed(TrainedSimilarity model, String source, List<Yt8mVideo> videos)
            throws InvalidDataException {
        if (videos.isEmpty()) {
            return new float[0];
        }
        TaggingDataset data = TaggingDataset.fromYt8m(source, videos, Vocabulary.unnamed(Vocabulary.YT8M_CLASSES));
        return model.embed(data, IntStream.range(0, data.size()).toArray());
    }

    /** Embeds shards (or a paired directory, as one unit) into a library at {@code out}; returns the count. */
    public static int write(TrainedSimilarity model, String spec, Path out, PrintStream log) throws IOException {
        List<String> ids = new ArrayList<>();
        float[] vectors;
        int dim = model.embeddingDim();
        long t0 = System.nanoTime();
        if (TaggingDataset.isPairedDirectory(spec)) {
            TaggingDataset data = model.config().loadData(spec, log);
            ids.addAll(data.ids());
            vectors = model.embed(data, IntStream.range(0, data.size()).toArray());
        } else {
            Yt8mReader.Options options = readOptions(model);
            List<float[]> parts = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            long total = 0;
            for (Path shard : Shards.resolve(spec)) {
                Yt8mReader.Result r = Yt8mReader.readShard(shard, options);
                for (Yt8mVideo v : r.videos()) {
                    if (!seen.add(v.id())) {
                        throw new InvalidDataException(shard, "video id '" + v.id() + "' occurs twice");
                    }
                    ids.add(v.id());
                }
                float[] e = embed(model, shard.toString(), r.videos());
                parts.add(e);
                total += e.length;
            }
            if (ids.isEmpty()) {
                throw new InvalidDataException(Path.of(spec), "no videos");
            }
            vectors = new float[Math.toIntExact(total)];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, vectors, at, p.length);
                at += p.length;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        EmbeddingLibrary.write(out, ids, vectors, dim);
        log.printf(java.util.Locale.ROOT, "embedded %d videos (%d dimensions) into %s: %.1f s, %.0f videos/s%n",
                ids.size(), dim, out, seconds, ids.size() / seconds);
        return ids.size();
    }
}
