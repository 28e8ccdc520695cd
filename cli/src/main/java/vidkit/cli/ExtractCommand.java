package vidkit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.core.Progress;
import vidkit.core.Provenance;
import vidkit.data.Shards;
import vidkit.media.AudioModel;
import vidkit.media.ExtractJob;
import vidkit.media.Extractor;
import vidkit.media.ImageModel;
import vidkit.media.MediaDecoder;
import vidkit.media.ModelFiles;
import vidkit.media.Yt8mExport;

@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Extract per-second features from media files (anything FFmpeg decodes: mp4, mkv, webm, avi, ...) "
                + "into the paired layout: OUT/vfeat/ID.npy (MobileNetV2, 1280-d, the frame at the centre of each "
                + "second) and OUT/afeat/ID.npy (YAMNet, 1024-d, or log-mel statistics, 128-d; 16 kHz mono), with "
                + "OUT/manifest.json. "
                + "Files go in parallel; a rerun skips the clips already done; a file that fails is reported and "
                + "the others go on (exit status 2 when any failed).")
final class ExtractCommand implements Callable<Integer> {
    @Option(names = "--videos", required = true, description = "A media file, a directory (all its files) or a glob "
            + "('dir/*.mp4').")
    String videos;

    @Option(names = "--out", required = true, description = "The output directory.")
    Path out;

    @Option(names = "--format", defaultValue = "paired", description = "Output layout: paired (default), or yt8m: "
            + "YouTube-8M frame-level shards OUT/train-NNNN.tfrecord (whitening PCA to 1,024 + 128, quantized as the "
            + "official code), with the paired features kept in OUT/features.")
    String format;

    @Option(names = "--labels", description = "With yt8m: a CSV of id and labels (space-separated class indices) or "
            + "label, for the records' labels.")
    Path labels;

    @Option(names = "--classes", defaultValue = "3862", description = "With yt8m: the vocabulary size labels must fit "
            + "(default: YouTube-8M's ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--pca", description = "With yt8m: apply this earlier export's pca.vkpca instead of fitting one "
            + "(so new videos share the training set's transform).")
    Path pca;

    @Option(names = "--shard-size", defaultValue = "256", description = "With yt8m: clips per shard.")
    int shardSize;

    @Option(names = "--fps", defaultValue = "1", description = "Frames per second (only 1 is supported).")
    int fps;

    @Option(names = "--seconds", defaultValue = "0", description = "Keep the first N seconds of every file and refuse "
            + "shorter ones (the paired layout needs one length for all clips; 0 = each file's whole length).")
    int seconds;

    @Option(names = "--audio", defaultValue = "yamnet", description = "The audio extractor: yamnet (default: YAMNet's "
            + "1024-d AudioSet embedding of each second), logmel (128-d log-mel statistics) or openwakeword (96-d speech "
            + "embedding).")
    String audio;

    @Option(names = "--allow-silent", description = "A file without an audio stream gets zero audio features (flagged "
            + "in the manifest) instead of failing.")
    boolean allowSilent;

    @Option(names = "--visual-model", description = "Your own ONNX image model (input [N, 3, 224, 224]) instead of the "
            + "bundled MobileNetV2.")
    Path visualModel;

    @Option(names = "--visual-output", description = "With --visual-model: the output to take (default: its first).")
    String visualOutput;

    @Option(names = "--preprocessing", defaultValue = "imagenet", description = "With --visual-model: imagenet "
            + "(RGB/255, ImageNet mean and std) or unit (RGB/255).")
    String preprocessing;

    @Option(names = "--models", description = "The pretrained models' directory (default: the project's "
            + "../shared/models; MobileNetV2, YAMNet and openWakeWord files, checked by SHA-256).")
    Path models;

    @Option(names = "--max-pixels", defaultValue = "35389440", description = "Refuse frames larger than this "
            + "(default: 8192 x 4320).")
    long maxPixels;

    @Option(names = "--parallel", description = "Files extracted at once (default: the compute threads).")
    Integer parallel;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("paired") && !format.equals("yt8m")) {
            throw new IllegalArgumentException("--format must be paired or yt8m, got " + format);
        }
        boolean yt8m = format.equals("yt8m");
        if (!yt8m && (labels != null || pca != null)) {
            throw new IllegalArgumentException("--labels and --pca go with --format yt8m");
        }
        if (shardSize < 1) {
            throw new IllegalArgumentException("--shard-size must be >= 1");
        }
        Path features = yt8m ? out.resolve("features") : out;
        if (fps != 1) {
            throw new IllegalArgumentException("--fps " + fps + " is not supported; vidkit extracts 1 frame per second");
        }
        List<Path> files = Shards.resolve(videos, "*");
        int threads = Options.computeThreads();
        int workers = parallel == null ? threads : parallel;
        Path modelsDir = models == null ? ModelFiles.defaultDir() : models;
        ImageModel visual = visualModel == null ? ImageModel.mobileNetV2(modelsDir, 1)
                : ImageModel.of(visualModel, visualOutput, ImageModel.Preprocessing.of(preprocessing), 1);
        AudioModel audioModel = AudioModel.of(audio, modelsDir);
        try (visual; AutoCloseable audioClose = audioModel instanceof AutoCloseable c ? c : () -> { };
                Progress progress = Progress.start("extracting", files.size())) {
            Extractor extractor = new Extractor(new MediaDecoder(maxPixels, 1), visual, audioModel, allowSilent, seconds);
            ExtractJob.Result r = ExtractJob.run(files, features, extractor, Provenance.version(), workers,
                    n -> {
                        synchronized (progress) {
                            progress.step(n, "");
                        }
                    }, System.err);
            System.out.printf(java.util.Locale.ROOT, "extracted %d files (%.1f s of media in %.1f s: %.1fx real time), "
                    + "skipped %d already done, %d failed; features in %s, manifest %s%n", r.extracted(), r.mediaSeconds(),
                    r.wallSeconds(), r.mediaSeconds() / Math.max(1e-9, r.wallSeconds()), r.skipped(), r.failed().size(),
                    features, features.resolve(ExtractJob.MANIFEST));
            for (var f : r.failed().entrySet()) {
                System.out.println("  failed: " + f.getKey() + " (" + f.getValue().reason() + "): " + f.getValue().message());
            }
            if (yt8m) {
                Yt8mExport.Result y = Yt8mExport.export(features, out, labels, classes, pca, shardSize);
                System.out.printf("wrote %d clips into %d YouTube-8M frame-level shards %s/train-*.tfrecord (%s PCA %s)%n",
                        y.clips(), y.shards(), out, y.fittedPca() ? "fitted" : "applied", y.pca());
            }
            return r.failed().isEmpty() ? 0 : Main.BAD_INPUT;
        }
    }
}
