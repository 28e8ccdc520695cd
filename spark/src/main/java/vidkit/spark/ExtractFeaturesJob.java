package vidkit.spark;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.PairedDataset;
import vidkit.media.AudioModel;
import vidkit.media.DecodedMedia;
import vidkit.media.ExtractJob;
import vidkit.media.ExtractManifest;
import vidkit.media.Extractor;
import vidkit.media.ImageModel;
import vidkit.media.MediaDecoder;
import vidkit.media.MediaException;
import vidkit.media.ModelFiles;
import vidkit.media.Yt8mExport;

/**
 * {@code vidkit spark extract}: media files → per-second features, as {@code vidkit extract} makes
 * them (the bundled MobileNetV2 and the chosen audio extractor, one file at a time, so the features
 * are the same bit for bit). The pretrained models' directory is shipped to the executors
 * ({@code SparkContext.addFile}); a file on HDFS or S3 is copied to the executor's local disk to
 * decode. Executors write {@code vfeat/ID.npy} and {@code afeat/ID.npy}; the driver writes {@code
 * manifest.json} (a file that fails is listed under {@code failed}, as {@code vidkit extract} does)
 * and, with {@code --format yt8m}, the frame-level shards (the PCA is fitted on the driver over all
 * clips, as the single-JVM export does).
 */
@Command(name = "extract", mixinStandardHelpOptions = true, description = "Extract per-second features from media "
        + "files: OUT/vfeat, OUT/afeat and OUT/manifest.json (paired layout), or with --format yt8m YouTube-8M "
        + "frame-level shards OUT/train-NNNN.tfrecord with the paired features in OUT/features.")
final class ExtractFeaturesJob implements Callable<Integer> {
    @Mixin
    JobOptions options;

    @Option(names = "--videos", required = true, description = "A media file, a directory (all its files), a glob, or "
            + "a URI.")
    String videos;

    @Option(names = "--out", required = true, description = "The output directory (a local path with --format yt8m).")
    String out;

    @Option(names = "--format", defaultValue = "paired", description = "paired (default) or yt8m.")
    String format;

    @Option(names = "--labels", description = "With yt8m: a CSV of id and labels, for the records' labels.")
    Path labels;

    @Option(names = "--classes", defaultValue = "3862", description = "With yt8m: the vocabulary size.")
    int classes;

    @Option(names = "--pca", description = "With yt8m: apply an earlier export's pca.vkpca instead of fitting one.")
    Path pca;

    @Option(names = "--shard-size", defaultValue = "256", description = "With yt8m: clips per shard.")
    int shardSize;

    @Option(names = "--seconds", defaultValue = "0", description = "Keep the first N seconds of every file (0 = all).")
    int seconds;

    @Option(names = "--audio", defaultValue = "yamnet", description = "yamnet (default), logmel or openwakeword.")
    String audio;

    @Option(names = "--allow-silent", description = "A file without audio gets zero audio features instead of failing.")
    boolean allowSilent;

    @Option(names = "--models", description = "The pretrained models' directory on the driver (default: the "
            + "project's ../shared/models), shipped to the executors.")
    Path models;

    @Option(names = "--max-pixels", defaultValue = "35389440", description = "Refuse frames larger than this.")
    long maxPixels;

    @Option(names = "--files-per-task", defaultValue = "4", description = "Media files per task (default: "
            + "${DEFAULT-VALUE}).")
    int filesPerTask;

    /** What a task reports for one file: its clip ({@code reason} null), or why it failed. */
    record Outcome(String file, String id, int seconds, boolean silent, int width, int height, int rotation, String reason,
            String message) implements java.io.Serializable {
        ExtractManifest.Clip clip() {
            return reason != null ? null : new ExtractManifest.Clip(file, seconds, silent, width, height, rotation);
        }

        ExtractManifest.Failure failure() {
            return reason == null ? null : new ExtractManifest.Failure(reason, message);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("paired") && !format.equals("yt8m")) {
            throw new IllegalArgumentException("--format must be paired or yt8m, got " + format);
        }
        boolean yt8m = format.equals("yt8m");
        if (!yt8m && (labels != null || pca != null)) {
            throw new IllegalArgumentException("--labels and --pca go with --format yt8m");
        }
        if (yt8m && InputFiles.schemeOf(out) != null && !out.startsWith("file:")) {
            throw new IllegalArgumentException("--format yt8m writes its shards on the driver: --out must be a local path");
        }
        if (filesPerTask < 1 || shardSize < 1) {
            throw new IllegalArgumentException("--files-per-task and --shard-size must be >= 1");
        }
        Path modelsDir = (models == null ? ModelFiles.defaultDir() : models).toAbsolutePath().normalize();
        // the models are opened once on the driver: a missing or altered file fails here, not on every executor
        ExtractManifest.Model visualModel;
        ExtractManifest.Model audioModel;
        try (ImageModel v = ImageModel.mobileNetV2(modelsDir, 1)) {
            AudioModel a = AudioModel.of(audio, modelsDir);
            Extractor probe = new Extractor(new MediaDecoder(maxPixels, 1), v, a, allowSilent, seconds);
            visualModel = probe.visualModel();
            audioModel = probe.audioModel();
            if (a instanceof AutoCloseable c) {
                c.close();
            }
        }
        Jobs.Started job = Jobs.start(options, "vidkit spark extract", videos, "*", out);
        SparkSession spark = job.spark();
        JavaSparkContext jsc = job.jsc();
        List<InputFiles.InputFile> files = job.files();
        JobOutput output = job.output();
        Map<String, String> ids = new TreeMap<>();
        for (InputFiles.InputFile f : files) {
            String before = ids.put(ExtractJob.id(f.displayName()), f.uri());
            if (before != null) {
                throw new InvalidDataException(f.displayName(), "has the clip id '" + ExtractJob.id(f.displayName())
                        + "' of " + before + ": two inputs would write the same feature files");
            }
        }
        jsc.sc().addFile(modelsDir.toUri().toString(), true);
        String modelsName = modelsDir.getFileName().toString();
        String features = yt8m ? "features" : "";
        try {
            Jobs.Shipment shipment = job.ship(null);
            List<List<InputFiles.InputFile>> groups = new ArrayList<>();
            for (int i = 0; i < files.size(); i += filesPerTask) {
                groups.add(new ArrayList<>(files.subList(i, Math.min(files.size(), i + filesPerTask))));
            }
            String target = output.partialUri(features.isEmpty() ? "." : features);
            String audioName = audio;
            boolean silent = allowSilent;
            int keep = seconds;
            long pixels = maxPixels;
            List<Outcome> outcomes = jsc.parallelize(groups, groups.size())
                    .mapPartitions(it -> extract(it, shipment, modelsName, audioName, silent, keep, pixels, target))
                    .collect();
            Map<String, ExtractManifest.Clip> clips = new TreeMap<>();
            Map<String, ExtractManifest.Failure> failed = new TreeMap<>();
            for (Outcome o : outcomes) {
                if (o.clip() != null) {
                    clips.put(o.id(), o.clip());
                } else {
                    failed.put(o.file(), o.failure());
                    System.err.println("vidkit spark: skipped: " + o.failure().message());
                }
            }
            ExtractManifest manifest = new ExtractManifest("vidkit extract", vidkit.core.Provenance.version(), 1,
                    MediaDecoder.SAMPLE_RATE, visualModel, audioModel, clips, failed);
            List<Problem> problems = new ArrayList<>();
            failed.forEach((f, why) -> problems.add(new Problem(f, -1, why.reason() + ": " + why.message())));
            Jobs.report(Jobs.sorted(problems), options.failOnCorrupt(), output);
            byte[] manifestBytes = ExtractJob.manifestBytes(manifest);
            String manifestName = (features.isEmpty() ? "" : features + "/") + ExtractJob.MANIFEST;
            output.write(manifestName, os -> os.write(manifestBytes));
            List<String> items = new ArrayList<>();
            if (yt8m) {
                Path local = output.localPartial(".");
                Yt8mExport.Result y = Yt8mExport.export(local.resolve(features), local, labels, classes, pca, shardSize);
                System.out.printf("wrote %d clips into %d YouTube-8M frame-level shards (%s PCA)%n", y.clips(), y.shards(),
                        y.fittedPca() ? "fitted" : "applied");
                try (var list = Files.list(local)) {
                    list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(JobOutput.REPORT)).sorted()
                            .forEach(items::add);
                }
            } else {
                items.addAll(List.of(PairedDataset.VIDEO_DIR, PairedDataset.AUDIO_DIR, ExtractJob.MANIFEST, "skipped.csv"));
            }
            double secondsTaken = job.seconds();
            JobReport report = new JobReport("extract", vidkit.core.Provenance.version(),
                    vidkit.core.Provenance.currentGitCommit(), null, null, videos, files.size(), job.inputBytes(),
                    clips.size(), failed.size(), Jobs.files(problems), options.onCorrupt, spark.sparkContext().master(),
                    Jobs.executors(jsc), Jobs.taskCpus(spark), job.startedAt(), secondsTaken, 0, 0, 0, items);
            output.commit(items, Jobs.json(report));
            double media = clips.values().stream().mapToDouble(ExtractManifest.Clip::seconds).sum();
            System.out.printf(java.util.Locale.ROOT, "extracted %d files (%.1f s of media in %.1f s: %.1fx real time; "
                    + "Spark start-up %.1f s; master %s, %d executor(s)), %d failed; output %s%n", clips.size(), media,
                    secondsTaken, media / Math.max(1e-9, secondsTaken), job.startupSeconds(), report.master(), report.executors(),
                    failed.size(), output);
            return failed.isEmpty() ? 0 : SparkMain.BAD_INPUT;
        } catch (Exception e) {
            output.abort();
            throw e;
        }
    }

    /** The executor's extractor: the shipped models, loaded on first use. */
    static Extractor extractor(String modelsName, String audio, boolean allowSilent, int seconds, long maxPixels) {
        String key = "extractor:" + modelsName + ":" + audio + ":" + allowSilent + ":" + seconds + ":" + maxPixels;
        return ExecutorModels.get(key, () -> {
            Path dir = Path.of(SparkFiles.get(modelsName));
            return new Extractor(new MediaDecoder(maxPixels, 1), ImageModel.mobileNetV2(dir, 1), AudioModel.of(audio, dir),
                    allowSilent, seconds);
        });
    }

    /** A task: extracts each file of its group and writes its two feature files under {@code target}. */
    static Iterator<Outcome> extract(Iterator<List<InputFiles.InputFile>> groups, Jobs.Shipment shipment, String modelsName, String audio, boolean allowSilent, int seconds,
            long maxPixels, String target) throws Exception {
        Extractor extractor = extractor(modelsName, audio, allowSilent, seconds, maxPixels);
        Configuration conf = shipment.conf();
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(java.net.URI.create(target));
        FileSystem fs = dir.getFileSystem(conf);
        List<Outcome> out = new ArrayList<>();
        while (groups.hasNext()) {
            for (InputFiles.InputFile f : groups.next()) {
                Path display = f.displayName();
                String id = ExtractJob.id(display);
                Path local = display;
                Path copy = null;
                if (!f.uri().startsWith("file:")) { // FFmpeg decodes local files: copy it down first
                    copy = Files.createTempDirectory("vidkit-media").resolve(display.getFileName().toString());
                    try (var in = InputFiles.open(f.uri(), conf)) {
                        Files.copy(in, copy);
                    }
                    local = copy;
                }
                try {
                    Extractor.Features x = extractor.extract(local);
                    write(fs, new org.apache.hadoop.fs.Path(dir, PairedDataset.AUDIO_DIR + "/" + id + ".npy"),
                            Npy.encode(NpyArray.ofFloats(x.audio(), x.seconds(), extractor.audio().dimension())));
                    write(fs, new org.apache.hadoop.fs.Path(dir, PairedDataset.VIDEO_DIR + "/" + id + ".npy"),
                            Npy.encode(NpyArray.ofFloats(x.video(), x.seconds(), extractor.visual().dimension())));
                    DecodedMedia m = x.media();
                    out.add(new Outcome(display.toString(), id, x.seconds(), !m.hasAudio(), m.width(), m.height(),
                            m.rotation(), null, null));
                } catch (MediaException e) {
                    out.add(new Outcome(display.toString(), id, 0, false, 0, 0, 0,
                            e.reason().name().toLowerCase(java.util.Locale.ROOT), e.getMessage()));
                } finally {
                    if (copy != null) {
                        Files.deleteIfExists(copy);
                        Files.deleteIfExists(copy.getParent());
                    }
                }
            }
        }
        return out.iterator();
    }

    /** Writes a feature file: to a temporary name, then renamed (a retried task overwrites it whole). */
    private static void write(FileSystem fs, org.apache.hadoop.fs.Path file, byte[] bytes) throws java.io.IOException {
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(file.getParent(), "." + file.getName() + ".tmp-"
                + java.util.UUID.randomUUID());
        try (OutputStream os = fs.create(tmp, true)) {
            os.write(bytes);
        }
        fs.delete(file, false);
        if (!fs.rename(tmp, file)) {
            throw new java.io.IOException("could not move " + tmp + " to " + file);
        }
    }
}
