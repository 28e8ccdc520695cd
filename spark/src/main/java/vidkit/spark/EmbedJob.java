package vidkit.spark;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vidkit.core.Checkpoint;
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
    JobOptions job;

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
        boolean fail = job.failOnCorrupt();
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
        long t0 = System.nanoTime();
        SparkSession spark = job.session("vidkit spark embed");
        double startup = (System.nanoTime() - t0) / 1e9;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ExecutorModels.configureEngine(Jobs.taskCpus(spark));
        Configuration conf = jsc.hadoopConfiguration();
        List<InputFiles.InputFile> files = InputFiles.list(data, matching ? "*.npy" : "*.tfrecord", conf);
        JobOutput output = JobOutput.begin(out, conf, job.overwrite, jsc.sc().applicationId());
        String started = Instant.now().toString();
        long t1 = System.nanoTime();
        try {
            Broadcast<byte[]> bytes = jsc.broadcast(ckpt.bytes());
            Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(conf));
            CollectionAccumulator<Problem> problems = jsc.sc().collectionAccumulator("vidkit skipped records");
            String sha = ckpt.sha256();
            String name = ckpt.file().toString();
            JavaRDD<Row> rows;
            if (matching) {
                List<List<InputFiles.InputFile>> groups = new ArrayList<>();
                for (int i = 0; i < files.size(); i += filesPerTask) {
                    groups.add(new ArrayList<>(files.subList(i, Math.min(files.size(), i + filesPerTask))));
                }
                boolean v = video;
                String dir = data;
                rows = jsc.parallelize(groups, groups.size())
                        .mapPartitions(it -> embedFeatures(it, bytes, sha, name, hadoop, v, dir, problems));
            } else {
                rows = jsc.parallelize(files, files.size())
                        .mapPartitions(it -> embedShards(it, bytes, sha, name, hadoop, problems));
            }
            spark.createDataFrame(rows, SCHEMA).write().parquet(output.partialUri("embeddings.parquet"));
            List<Problem> skipped = Jobs.sorted(problems.value());
            Jobs.report(skipped, fail, output);
            Dataset<Row> written = spark.read().parquet(output.partialUri("embeddings.parquet"))
                    .orderBy("part", "position");
            List<String> ids = written.select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            if (ids.isEmpty()) {
                throw new InvalidDataException(Path.of(data), "no videos to embed");
            }
            Row first = written.first();
            int dim = first.getList(3).size();
            Iterator<Row> it = written.toLocalIterator();
            Iterator<EmbeddingLibrary.Entry> entries = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public EmbeddingLibrary.Entry next() {
                    Row r = it.next();
                    List<Float> values = r.getList(3);
                    float[] vector = new float[values.size()];
                    for (int j = 0; j < vector.length; j++) {
                        vector[j] = values.get(j);
                    }
                    return new EmbeddingLibrary.Entry(r.getString(2), vector);
                }
            };
            output.writeLocal(LIBRARY, file -> EmbeddingLibrary.write(file, ids, dim, entries));
            double seconds = (System.nanoTime() - t1) / 1e9;
            long inputBytes = files.stream().mapToLong(InputFiles.InputFile::bytes).sum();
            JobReport report = new JobReport("embed", vidkit.core.Provenance.version(),
                    vidkit.core.Provenance.currentGitCommit(), run.toAbsolutePath().normalize().toString(), sha, data,
                    files.size(), inputBytes, ids.size(), skipped.size(), Jobs.files(skipped), job.onCorrupt,
                    spark.sparkContext().master(), Jobs.executors(jsc), Jobs.taskCpus(spark), started, seconds, 0, 0, 0,
                    List.of("embeddings.parquet", LIBRARY, "skipped.csv"));
            output.commit(report.outputs(), Jobs.json(report));
            System.out.printf(java.util.Locale.ROOT, "embedded %d %s (%d dimensions) from %d files in %.1f s (%.0f/s; "
                    + "Spark start-up %.1f s; master %s, %d executor(s)); skipped %d; library %s%n", ids.size(),
                    matching ? (video ? "video clips" : "audio clips") : "videos", dim, files.size(), seconds,
                    ids.size() / seconds, startup, report.master(), report.executors(), skipped.size(),
                    output.finalUri(LIBRARY));
            return skipped.isEmpty() ? 0 : SparkMain.BAD_INPUT;
        } catch (Exception e) {
            output.abort();
            throw e;
        }
    }

    /** A task of a similarity run: embeds each shard of its partition. */
    static Iterator<Row> embedShards(Iterator<InputFiles.InputFile> files, Broadcast<byte[]> checkpoint, String sha,
            String name, Broadcast<SerializableConfiguration> hadoop, CollectionAccumulator<Problem> problems)
            throws Exception {
        TrainedSimilarity model = ExecutorModels.get("similarity:" + sha,
                () -> TrainedSimilarity.load(Checkpoint.read(checkpoint.value(), Path.of(name))));
        Yt8mReader.Options options = SimilarityEmbeddings.readOptions(model).withSkipCorrupt(true);
        int dim = model.embeddingDim();
        List<Row> out = new ArrayList<>();
        while (files.hasNext()) {
            InputFiles.InputFile f = files.next();
            Path display = f.displayName();
            Yt8mReader.Result r;
            float[] e;
            try (InputStream in = InputFiles.open(f.uri(), hadoop.value().value())) {
                r = Yt8mReader.readShard(in, display, options);
                for (Yt8mReader.Skipped s : r.skipped()) {
                    problems.add(new Problem(s.file().toString(), s.offset(), s.reason()));
                }
                e = SimilarityEmbeddings.embed(model, display.toString(), r.videos());
            } catch (InvalidDataException ex) {
                problems.add(new Problem(display.toString(), -1, ex.getMessage()));
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
    static Iterator<Row> embedFeatures(Iterator<List<InputFiles.InputFile>> groups, Broadcast<byte[]> checkpoint,
            String sha, String name, Broadcast<SerializableConfiguration> hadoop, boolean video, String dir,
            CollectionAccumulator<Problem> problems) throws Exception {
        TrainedMatcher matcher = ExecutorModels.get("matching:" + sha,
                () -> TrainedMatcher.load(Checkpoint.read(checkpoint.value(), Path.of(name))));
        int dim = matcher.embeddingDim();
        Configuration conf = hadoop.value().value();
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
                    problems.add(new Problem(bad == null ? dir : bad.toString(), -1, ex.getMessage()));
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
