package vidkit.spark;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.data.Yt8mReader;
import vidkit.index.EmbeddingLibrary;
import vidkit.matching.TrainedMatcher;
import vidkit.similarity.SimilarityEmbeddings;
import vidkit.similarity.TrainedSimilarity;

/**
 * {@code vidkit spark embed}: a library's embeddings, as {@code vidkit embed} makes them.
 *
 * <ul>
 *   <li>A similarity run embeds YouTube-8M shards, one task per shard, each shard embedded as {@link
 *       SimilarityEmbeddings} does it.
 *   <li>A matching run (two-tower or CCA) embeds one modality's feature directory ({@code DIR/ID.npy},
 *       sorted by name as {@link FeatureSet#load} sorts them) in groups of {@code --files-per-task}
 *       files, a multiple of the matcher's batch (256), so every group's batches are the batches the
 *       single-JVM command forms.
 * </ul>
 * The executors write embedding shards ({@code OUT/embeddings.parquet}: part, position, id, vector);
 * the driver streams them in order into one library, {@code OUT/library.vkemb}, byte for byte the file
 * {@code vidkit embed} writes (at equal PyTorch thread counts).
 */
@Command(name = "embed", mixinStandardHelpOptions = true, description = "Embed a library: YouTube-8M shards with a "
        + "similarity run, or a feature directory with a twotower or cca run (--modality): OUT/embeddings.parquet, "
        + "OUT/library.vkemb (for 'vidkit index build' and 'vidkit serve'), OUT/skipped.csv, OUT/job.json.")
final class EmbedJob implements Callable<Integer> {
    static final String LIBRARY = "library.vkemb";
    static final StructType SCHEMA = new StructType()
            .add("part", DataTypes.IntegerType, false)
            .add("position", DataTypes.IntegerType, false)
            .add("id", DataTypes.StringType, false)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    /** The matcher's encoder batch: groups of files are multiples of it. */
    static final int MATCHER_BATCH = 256;

    @Mixin
    JobOptions options;

    @Option(names = "--run", required = true, description = "A similarity, or a matching (twotower or cca) run.")
    Path run;

    @Option(names = "--data", required = true, description = "Similarity: TFRecord shards (file, directory, glob or "
            + "URI). Matching: a directory of one modality's feature files ID.npy (e.g. DIR/afeat).")
    String data;

    @Option(names = "--modality", description = "With a matching run: audio or video, the tower that embeds the files.")
    String modality;

    @Option(names = "--files-per-task", defaultValue = "1024", description = "With a matching run: feature files per "
            + "task, a multiple of 256 (default: ${DEFAULT-VALUE}).")
    int filesPerTask;

    @Option(names = "--out", required = true, description = "The output directory (local path or URI).")
    String out;

    @Override
    public Integer call() throws Exception {
        boolean fail = options.failOnCorrupt();
        Jobs.ShippedCheckpoint ckpt = Jobs.checkpointOf(run, "similarity", "matching");
        boolean matching = ckpt.taskType().equals("matching");
        boolean video = false;
        if (matching) {
            if (modality == null) {
                throw new IllegalArgumentException("--modality (audio or video) is required with a matching run");
            }
            video = switch (modality) {
                case "video" -> true;
                case "audio" -> false;
                default -> throw new IllegalArgumentException("--modality must be video or audio, got '" + modality + "'");
            };
            if (filesPerTask < MATCHER_BATCH || filesPerTask % MATCHER_BATCH != 0) {
                throw new IllegalArgumentException("--files-per-task must be a positive multiple of " + MATCHER_BATCH
                        + " (the matcher's batch, so the embeddings equal vidkit embed's), got " + filesPerTask);
            }
        } else if (modality != null) {
            throw new IllegalArgumentException("--modality is for matching runs; a similarity run embeds whole videos");
        }
        Jobs.Started job = Jobs.start(options, "vidkit spark embed", data, matching ? "*.npy" : "*.tfrecord", out);
        SparkSession spark = job.spark();
        JobOutput output = job.output();
        List<InputFiles.InputFile> files = job.files();
        try {
            Jobs.Shipment shipment = job.ship(ckpt);
            JavaRDD<Row> rows;
            if (matching) {
                List<List<InputFiles.InputFile>> groups = new ArrayList<>();
                for (int i = 0; i < files.size(); i += filesPerTask) {
                    groups.add(new ArrayList<>(files.subList(i, Math.min(files.size(), i + filesPerTask))));
                }
                boolean v = video;
                String dir = data;
                rows = job.jsc().parallelize(groups, groups.size()).mapPartitions(it -> embedFeatures(it, shipment, v, dir));
            } else {
                rows = job.jsc().parallelize(files, files.size()).mapPartitions(it -> embedShards(it, shipment));
            }
            spark.createDataFrame(rows, SCHEMA).write().parquet(output.partialUri("embeddings.parquet"));
            List<Problem> skipped = Jobs.sorted(shipment.problems().value());
            Jobs.report(skipped, fail, output);
            Dataset<Row> written = spark.read().parquet(output.partialUri("embeddings.parquet"))
                    .orderBy("part", "position");
            List<String> ids = written.select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            if (ids.isEmpty()) {
                throw new InvalidDataException(Path.of(data), "no videos to embed");
            }
            // one ordered pass over the embedding shards; the first row gives the dimension (no extra job)
            Iterator<Row> rowsInOrder = written.toLocalIterator();
            EmbeddingLibrary.Entry head = entry(rowsInOrder.next());
            int dim = head.vector().length;
            Iterator<EmbeddingLibrary.Entry> entries = java.util.stream.Stream.concat(java.util.stream.Stream.of(head),
                    java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(rowsInOrder, 0),
                            false).map(EmbedJob::entry)).iterator();
            output.writeLocal(LIBRARY, file -> EmbeddingLibrary.write(file, ids, dim, entries));
            double seconds = job.seconds();
            JobReport report = new JobReport("embed", vidkit.core.Provenance.version(),
                    vidkit.core.Provenance.currentGitCommit(), run.toAbsolutePath().normalize().toString(), ckpt.sha256(),
                    data, files.size(), job.inputBytes(), ids.size(), skipped.size(), Jobs.files(skipped),
                    options.onCorrupt, spark.sparkContext().master(), Jobs.executors(job.jsc()), Jobs.taskCpus(spark),
                    job.startedAt(), seconds, 0, 0, 0,
                    List.of("embeddings.parquet", LIBRARY, "skipped.csv"));
            output.commit(report.outputs(), Jobs.json(report));
            System.out.printf(java.util.Locale.ROOT, "embedded %d %s (%d dimensions) from %d files in %.1f s (%.0f/s; "
                    + "Spark start-up %.1f s; master %s, %d executor(s)); skipped %d; library %s%n", ids.size(),
                    matching ? (video ? "video clips" : "audio clips") : "videos", dim, files.size(), seconds,
                    ids.size() / seconds, job.startupSeconds(), report.master(), report.executors(), skipped.size(),
                    output.finalUri(LIBRARY));
            return skipped.isEmpty() ? 0 : SparkMain.BAD_INPUT;
        } catch (Exception e) {
            output.abort();
            throw e;
        }
    }

    /** A row of {@link #SCHEMA} as a library entry. */
    static EmbeddingLibrary.Entry entry(Row r) {
        List<Float> values = r.getList(3);
        float[] vector = new float[values.size()];
        for (int j = 0; j < vector.length; j++) {
            vector[j] = values.get(j);
        }
        return new EmbeddingLibrary.Entry(r.getString(2), vector);
    }

    /** A task of a similarity run: embeds each shard of its partition. */
    static Iterator<Row> embedShards(Iterator<InputFiles.InputFile> files, Jobs.Shipment shipment) throws Exception {
        TrainedSimilarity model = ExecutorModels.get("similarity:" + shipment.sha256(),
                () -> TrainedSimilarity.load(shipment.checkpoint()));
        Yt8mReader.Options options = SimilarityEmbeddings.readOptions(model).withSkipCorrupt(true);
        int dim = model.embeddingDim();
        List<Row> out = new ArrayList<>();
        while (files.hasNext()) {
            InputFiles.InputFile f = files.next();
            Path display = f.displayName();
            Yt8mReader.Result r;
            float[] e;
            try (InputStream in = InputFiles.open(f.uri(), shipment.conf())) {
                r = Yt8mReader.readShard(in, display, options);
                shipment.skipped(r);
                e = SimilarityEmbeddings.embed(model, display.toString(), r.videos());
            } catch (InvalidDataException ex) {
                shipment.skipped(display.toString(), ex);
                continue;
            }
            for (int i = 0; i < r.videos().size(); i++) {
                out.add(RowFactory.create(f.index(), i, r.videos().get(i).id(),
                        java.util.Arrays.copyOfRange(e, i * dim, (i + 1) * dim)));
            }
        }
        return out.iterator();
    }

    /** A task of a matching run: embeds its group of feature files as one {@link FeatureSet}. */
    static Iterator<Row> embedFeatures(Iterator<List<InputFiles.InputFile>> groups, Jobs.Shipment shipment, boolean video,
            String dir) throws Exception {
        TrainedMatcher matcher = ExecutorModels.get("matching:" + shipment.sha256(),
                () -> TrainedMatcher.load(shipment.checkpoint()));
        int dim = matcher.embeddingDim();
        Configuration conf = shipment.conf();
        List<Row> out = new ArrayList<>();
        while (groups.hasNext()) {
            List<InputFiles.InputFile> group = groups.next();
            List<Path> names = new ArrayList<>();
            java.util.Map<Path, String> uris = new java.util.HashMap<>();
            for (InputFiles.InputFile f : group) {
                names.add(f.displayName());
                uris.put(f.displayName(), f.uri());
            }
            FeatureSet set = null;
            while (set == null && !names.isEmpty()) {
                try {
                    set = FeatureSet.of(InputFiles.displayName(JobOutput.pathOf(dir).toUri().toString()), names,
                            p -> InputFiles.readAll(uris.get(p), conf));
                } catch (InvalidDataException ex) {
                    // a bad file is reported and left out; the group's other files go on
                    Path bad = ex.path();
                    shipment.skipped(bad == null ? dir : bad.toString(), ex);
                    if (bad == null || !names.remove(bad)) {
                        names.clear();
                    }
                }
            }
            if (set == null) {
                continue;
            }
            float[] e = matcher.embed(set, video, false);
            for (int i = 0; i < set.size(); i++) {
                out.add(RowFactory.create(group.get(0).index(), i, set.ids().get(i),
                        java.util.Arrays.copyOfRange(e, i * dim, (i + 1) * dim)));
            }
        }
        return out.iterator();
    }
}
