package vidkit.spark;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
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
import vidkit.data.InvalidDataException;
import vidkit.data.Yt8mReader;
import vidkit.tagging.TaggingPredictions;
import vidkit.tagging.TaggingPredictions.VideoTags;
import vidkit.tagging.TrainedTagger;

/**
 * {@code vidkit spark tag}: YouTube-8M TFRecord shards (video or frame level, as the run was trained)
 * → each video's top-k tags. One task per shard, streamed; each shard scored as {@code vidkit
 * predict} scores it ({@link TaggingPredictions}), so the tags are the same bit for bit (at equal
 * PyTorch thread counts). Writes {@code OUT/tags.parquet} (shard, position, file, id, classes,
 * probabilities), {@code OUT/predictions.csv} (the Kaggle format, videos in shard order),
 * {@code OUT/skipped.csv} and {@code OUT/job.json}.
 */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag YouTube-8M shards with a tagging run: "
        + "OUT/tags.parquet, OUT/predictions.csv (Kaggle format), OUT/skipped.csv, OUT/job.json.")
final class TagJob implements Callable<Integer> {
    static final StructType SCHEMA = new StructType()
            .add("shard", DataTypes.IntegerType, false)
            .add("position", DataTypes.IntegerType, false)
            .add("file", DataTypes.StringType, false)
            .add("id", DataTypes.StringType, false)
            .add("classes", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    @Mixin
    JobOptions options;

    @Option(names = "--run", required = true, description = "A tagging run directory (read on the driver; its "
            + "checkpoint is shipped to the executors).")
    Path run;

    @Option(names = "--data", required = true, description = "TFRecord shards: a file, a directory, a glob, or a "
            + "URI such as 'hdfs://nn/yt8m/train*.tfrecord'.")
    String data;

    @Option(names = "--out", required = true, description = "The output directory (local path or URI).")
    String out;

    @Option(names = "--top-k", defaultValue = "20", description = "Classes per video (default: ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() throws Exception {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
        boolean fail = options.failOnCorrupt();
        Jobs.ShippedCheckpoint ckpt = Jobs.checkpointOf(run, "tagging");
        Jobs.Started job = Jobs.start(options, "vidkit spark tag", data, "*.tfrecord", out);
        SparkSession spark = job.spark();
        JobOutput output = job.output();
        try {
            Jobs.Shipment shipment = job.ship(ckpt);
            int k = topK;
            JavaRDD<Row> rows = job.jsc().parallelize(job.files(), job.files().size())
                    .mapPartitions(it -> tag(it, shipment, k));
            TaskTimes times = new TaskTimes();
            spark.sparkContext().addSparkListener(times);
            spark.createDataFrame(rows, SCHEMA).write().parquet(output.partialUri("tags.parquet"));
            spark.sparkContext().removeSparkListener(times);
            double tagging = job.seconds();
            List<Problem> skipped = Jobs.sorted(shipment.problems().value());
            Jobs.report(skipped, fail, output);
            Dataset<Row> written = spark.read().parquet(output.partialUri("tags.parquet")).orderBy("shard", "position");
            long[] count = {0};
            output.write("predictions.csv", os -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 20);
                w.write(TaggingPredictions.HEADER);
                w.write('\n');
                Iterator<Row> it = written.toLocalIterator();
                while (it.hasNext()) {
                    w.write(videoTags(it.next()).csvLine());
                    w.write('\n');
                    count[0]++;
                }
                w.flush();
            });
            double seconds = job.seconds();
            JobReport report = new JobReport("tag", vidkit.core.Provenance.version(),
                    vidkit.core.Provenance.currentGitCommit(), run.toAbsolutePath().normalize().toString(), ckpt.sha256(),
                    data, job.files().size(), job.inputBytes(), count[0], skipped.size(), Jobs.files(skipped),
                    options.onCorrupt, spark.sparkContext().master(), Jobs.executors(job.jsc()), Jobs.taskCpus(spark),
                    job.startedAt(), seconds,
                    times.spanSeconds(), times.taskSeconds(), times.steadyRate(), List.of("tags.parquet", "predictions.csv", "skipped.csv"));
            output.commit(report.outputs(), Jobs.json(report));
            System.out.printf(java.util.Locale.ROOT, "tagged %d videos from %d shards in %.1f s (%.0f videos/s; Spark "
                    + "start-up %.1f s; tagging %.1f s (tasks' span %.1f s, executor time %.1f s), CSV %.1f s; master %s, %d "
                    + "executor(s)); skipped %d; output %s%n", count[0], job.files().size(), seconds, count[0] / seconds,
                    job.startupSeconds(),
                    tagging, times.spanSeconds(), times.taskSeconds(), seconds - tagging, report.master(), report.executors(), skipped.size(), output);
            return skipped.isEmpty() ? 0 : SparkMain.BAD_INPUT;
        } catch (Exception e) {
            output.abort();
            throw e;
        }
    }

    /** A row of {@link #SCHEMA} back as tags. */
    static VideoTags videoTags(Row r) {
        List<Integer> c = r.getList(4);
        List<Double> p = r.getList(5);
        int[] classes = new int[c.size()];
        double[] probabilities = new double[p.size()];
        for (int j = 0; j < classes.length; j++) {
            classes[j] = c.get(j);
            probabilities[j] = p.get(j);
        }
        return new VideoTags(r.getString(3), classes, probabilities);
    }

    /** A task: tags each shard of its partition (the executor's one tagger, loaded on first use). */
    static Iterator<Row> tag(Iterator<InputFiles.InputFile> files, Jobs.Shipment shipment, int topK) throws Exception {
        TrainedTagger tagger = ExecutorModels.get("tagging:" + shipment.sha256(),
                () -> TrainedTagger.load(shipment.checkpoint()));
        Yt8mReader.Options options = TaggingPredictions.readOptions(tagger).withSkipCorrupt(true);
        List<Row> out = new ArrayList<>();
        while (files.hasNext()) {
            InputFiles.InputFile f = files.next();
            Path display = f.displayName();
            List<VideoTags> tags;
            try (InputStream in = InputFiles.open(f.uri(), shipment.conf())) {
                Yt8mReader.Result r = Yt8mReader.readShard(in, display, options);
                shipment.skipped(r);
                tags = TaggingPredictions.tag(tagger, display.toString(), r.videos(), topK);
            } catch (InvalidDataException e) {
                shipment.skipped(display.toString(), e);
                continue;
            }
            for (int i = 0; i < tags.size(); i++) {
                VideoTags t = tags.get(i);
                out.add(RowFactory.create(f.index(), i, display.toString(), t.id(), t.classes(), t.probabilities()));
            }
        }
        return out.iterator();
    }
}
