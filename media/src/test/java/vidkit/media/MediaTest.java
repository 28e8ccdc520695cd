package vidkit.media;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.Npy;
import vidkit.data.PairedDataset;

/** Decoding and extraction on real media made from Debian's photographs and sounds. */
class MediaTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    static final String[] H264_AAC = {"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "96k"};
    /** ImageNet classes 21–24: kite (the bird), bald eagle, vulture, great grey owl. */
    static final Set<Integer> BIRDS_OF_PREY = Set.of(21, 22, 23, 24);

    @TempDir static Path dir;
    static ImageModel mobileNet;
    static MediaDecoder decoder = new MediaDecoder(8192L * 4320, 1);
    static Path eagle;

    @BeforeAll
    static void make() throws Exception {
        MediaFixtures.requireTools();
        mobileNet = ImageModel.mobileNetV2(1);
        eagle = MediaFixtures.clip(dir.resolve("eagle.mp4"), "eagle.jpg", MediaFixtures.sound("bell.oga"), 3, H264_AAC);
    }

    @AfterAll
    static void close() {
        mobileNet.close();
    }

    static int argmax(float[] x, int row, int width) {
        int best = 0;
        for (int i = 1; i < width; i++) {
            if (x[row * width + i] > x[row * width + best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void anEagleClipHasItsSecondsAndMobileNetSeesABirdOfPreyInEveryFrame() throws Exception {
        Extractor.Features f = new Extractor(decoder, mobileNet, LogMelFeatures.MODEL, false, 0).extract(eagle);
        assertEquals(3, f.seconds());
        assertEquals(3 * 1280, f.video().length);
        assertEquals(3 * LogMelFeatures.DIMENSION, f.audio().length);
        assertTrue(f.media().hasAudio());
        assertEquals(3 * MediaDecoder.SAMPLE_RATE, f.media().audio().length);
        for (int s = 0; s < 3; s++) {
            int top = argmax(f.logits(), s, 1000);
            assertTrue(BIRDS_OF_PREY.contains(top), "second " + s + ": ImageNet class " + top);
        }
        // the pooled features are the classifier's input: non-negative (after ReLU6) and not all zero
        double sum = 0;
        for (float x : f.video()) {
            assertTrue(x >= 0, "pooled ReLU6 feature " + x);
            sum += x;
        }
        assertTrue(sum > 0);
        // with a limit, decoding stops after it: the same first seconds, frames and sound
        DecodedMedia two = decoder.decode(eagle, false, 2);
        assertEquals(2, two.seconds());
        for (int s = 0; s < 2; s++) {
            assertArrayEquals(f.media().frames()[s], two.frames()[s]);
        }
        assertArrayEquals(java.util.Arrays.copyOf(f.media().audio(), 2 * 16000), two.audio(), 1e-6f);
        // a dog is a dog (ImageNet 151-268), not a bird
        Path dog = MediaFixtures.clip(dir.resolve("dog.mp4"), "dog.jpg", MediaFixtures.sound("bell.oga"), 2, H264_AAC);
        Extractor.Features d = new Extractor(decoder, mobileNet, LogMelFeatures.MODEL, false, 0).extract(dog);
        int top = argmax(d.logits(), 0, 1000);
        assertTrue(top >= 151 && top <= 268, "dog photo: ImageNet class " + top);
    }

    /** The same picture and sound in other containers and codecs decode to the same seconds and nearly the same features. */
    @Test
    void otherContainersAndCodecsGiveTheSameFeatures() throws Exception {
        Extractor x = new Extractor(decoder, mobileNet, LogMelFeatures.MODEL, false, 0);
        Extractor.Features ref = x.extract(eagle);
        List<Path> others = List.of(
                MediaFixtures.clip(dir.resolve("eagle.webm"), "eagle.jpg", MediaFixtures.sound("bell.oga"), 3,
                        "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-c:a", "libopus"),
                MediaFixtures.clip(dir.resolve("eagle.mkv"), "eagle.jpg", MediaFixtures.sound("bell.oga"), 3,
                        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libopus"),
                MediaFixtures.clip(dir.resolve("eagle.avi"), "eagle.jpg", MediaFixtures.sound("bell.oga"), 3,
                        "-c:v", "mpeg4", "-q:v", "3", "-c:a", "libmp3lame"));
        for (Path p : others) {
            Extractor.Features f = x.extract(p);
            assertEquals(3, f.seconds(), p.toString());
            assertTrue(cosine(ref.video(), f.video()) > 0.9, p + " visual cosine " + cosine(ref.video(), f.video()));
            assertTrue(cosine(ref.audio(), f.audio()) > 0.9, p + " audio cosine " + cosine(ref.audio(), f.audio()));
        }
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** A phone video stored sideways with a rotation flag decodes like the picture stored upright. */
    @Test
    void aRotatedVideoIsTurnedUpright() throws Exception {
        Path upright = MediaFixtures.clip(dir.resolve("upright.mp4"), "horses.jpg", null, 2, "-c:v", "libx264",
                "-preset", "ultrafast", "-crf", "10");
        // stored turned a quarter counter-clockwise, flagged to be shown turned a quarter clockwise
        Path sideways = dir.resolve("sideways-raw.mp4");
        MediaFixtures.run("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", upright.toString(), "-vf",
                "transpose=2", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", sideways.toString());
        Path flagged = dir.resolve("sideways.mp4");
        MediaFixtures.run("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", sideways.toString(), "-c", "copy",
                "-metadata:s:v:0", "rotate=90", flagged.toString());
        DecodedMedia a = decoder.decode(upright, true);
        DecodedMedia b = decoder.decode(flagged, true);
        assertEquals(90, b.rotation());
        assertEquals(0, a.rotation());
        assertTrue(meanAbsoluteDifference(a.frames()[0], b.frames()[0]) < 8, "upright vs turned: "
                + meanAbsoluteDifference(a.frames()[0], b.frames()[0]));
        DecodedMedia unturned = new DecodedMedia(1, new byte[][] {MediaDecoder.cropUpright(java.nio.ByteBuffer.wrap(
                b.frames()[0]), 224, 224, 224 * 3, 270)}, null, false, 1, 224, 224, 0);
        assertTrue(meanAbsoluteDifference(a.frames()[0], unturned.frames()[0]) > 20, "the rotation matters");
    }

    /**
     * Variable frame rate: one second of an eagle at 2 fps, then two seconds of a dog at 30 fps, in
     * one file with per-frame timestamps. Each second's frame is taken by timestamp, so second 0 is
     * the eagle and seconds 1 and 2 the dog.
     */
    @Test
    void aVariableFrameRateVideoGetsTheFrameShownAtEachSecond(@TempDir Path work) throws Exception {
        Path slow = work.resolve("slow.mkv");
        Path fast = work.resolve("fast.mkv");
        MediaFixtures.run("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-loop", "1", "-framerate", "2", "-t", "1", "-i",
                MediaFixtures.PHOTOS.resolve("eagle.jpg").toString(), "-vf", "scale=640:480,format=yuv420p", "-c:v",
                "libx264", "-preset", "ultrafast", slow.toString());
        MediaFixtures.run("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-loop", "1", "-framerate", "30", "-t", "2", "-i",
                MediaFixtures.PHOTOS.resolve("dog.jpg").toString(), "-vf", "scale=640:480,format=yuv420p", "-c:v",
                "libx264", "-preset", "ultrafast", fast.toString());
        Path list = Files.writeString(work.resolve("list.txt"), "file '" + slow + "'\nfile '" + fast + "'\n");
        Path vfr = work.resolve("vfr.mkv");
        MediaFixtures.run("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i",
                list.toString(), "-c", "copy", vfr.toString());
        DecodedMedia m = decoder.decode(vfr, true);
        assertEquals(3, m.seconds());
        ImageModel.Output o = mobileNet.run(m.frames());
        assertTrue(BIRDS_OF_PREY.contains(argmax(o.logits(), 0, 1000)), "second 0: " + argmax(o.logits(), 0, 1000));
        for (int s = 1; s < 3; s++) {
            int top = argmax(o.logits(), s, 1000);
            assertTrue(top >= 151 && top <= 268, "second " + s + ": ImageNet class " + top);
        }
    }

    static double meanAbsoluteDifference(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    @Test
    void badMediaIsATypedErrorNamingTheFile(@TempDir Path bad) throws Exception {
        Path text = Files.writeString(bad.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        assertReason(MediaException.Reason.NOT_MEDIA, text, false);
        assertReason(MediaException.Reason.NOT_MEDIA, Files.write(bad.resolve("empty.mkv"), new byte[0]), false);
        assertReason(MediaException.Reason.NOT_MEDIA, bad.resolve("missing.mp4"), false);
        Path silent = MediaFixtures.clip(bad.resolve("silent.mp4"), "kite.jpg", null, 2, H264_AAC);
        assertReason(MediaException.Reason.NO_AUDIO, silent, false);
        DecodedMedia s = decoder.decode(silent, true);
        assertFalse(s.hasAudio());
        assertEquals(2, s.seconds());
        Path blip = MediaFixtures.clip(bad.resolve("blip.mp4"), "kite.jpg", MediaFixtures.sound("bell.oga"), 0.5, H264_AAC);
        assertReason(MediaException.Reason.TOO_SHORT, blip, false);
        assertReason(MediaException.Reason.TOO_LARGE, eagle, false, new MediaDecoder(320 * 240, 1));
        // an mp4 cut in the middle (index at the front, so it opens)
        Path whole = MediaFixtures.clip(bad.resolve("whole.mp4"), "giraffe.jpg", MediaFixtures.sound("bell.oga"), 8,
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(bad.resolve("cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertReason(MediaException.Reason.TRUNCATED, cut, false);
        // a sound track that ends before the video is not a truncation: the rest is silence
        Path shortSound = bad.resolve("short-sound.mp4");
        MediaFixtures.run("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-loop", "1", "-framerate", "25", "-t", "4", "-i",
                MediaFixtures.PHOTOS.resolve("kite.jpg").toString(), "-i", MediaFixtures.sound("camera-shutter.oga"),
                "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", shortSound.toString());
        DecodedMedia ss = decoder.decode(shortSound, false);
        assertEquals(4, ss.seconds());
        double tail = 0;
        for (int i = 3 * 16000; i < 4 * 16000; i++) {
            tail += Math.abs(ss.audio()[i]);
        }
        assertEquals(0, tail, 1e-3, "the last second after the sound ended is silence");
        // an audio-only file has no video
        assertReason(MediaException.Reason.NO_VIDEO, Path.of(MediaFixtures.sound("bell.oga")), false);
    }

    private static void assertReason(MediaException.Reason reason, Path file, boolean allowSilent) {
        assertReason(reason, file, allowSilent, decoder);
    }

    private static void assertReason(MediaException.Reason reason, Path file, boolean allowSilent, MediaDecoder d) {
        MediaException e = assertThrows(MediaException.class, () -> d.decode(file, allowSilent), file.toString());
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }

    /** A folder of clips: good ones extracted into the paired layout, a bad one reported, a rerun skips what is done. */
    @Test
    void aFolderIsExtractedInParallelAndARerunSkipsWhatIsDone(@TempDir Path work) throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        MediaFixtures.clip(in.resolve("bell.mp4"), "eagle.jpg", MediaFixtures.sound("bell.oga"), 2, H264_AAC);
        MediaFixtures.clip(in.resolve("speech.mkv"), "person.jpg", MediaFixtures.speech(work, "Hello, this is a test of "
                + "the speech extractor."), 3, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libopus");
        MediaFixtures.clip(in.resolve("quiet.mp4"), "scream.jpg", null, 2, H264_AAC);
        Files.writeString(in.resolve("readme.mp4"), "not a video");
        Path out = work.resolve("out");
        Extractor x = new Extractor(decoder, mobileNet, LogMelFeatures.MODEL, true, 0);
        List<Path> files = vidkit.data.Shards.resolve(in.toString(), "*");
        ExtractJob.Result r = ExtractJob.run(files, out, x, "test", 2, n -> {}, QUIET);
        assertEquals(3, r.extracted());
        assertEquals(Set.of(in.resolve("readme.mp4").toString()), r.failed().keySet());
        assertEquals("not_media", r.failed().values().iterator().next().reason());
        ExtractManifest m = ExtractJob.readManifest(out);
        assertEquals(Set.of("bell", "speech", "quiet"), m.clips().keySet());
        assertTrue(m.clips().get("quiet").silent());
        assertFalse(m.clips().get("bell").silent());
        assertEquals(mobileNet.sha256(), m.visual().sha256());
        assertEquals("83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f", m.visual().sha256());
        assertArrayEquals(new int[] {3, 1280}, Npy.read(out.resolve("vfeat/speech.npy")).shape());
        assertArrayEquals(new int[] {3, 128}, Npy.read(out.resolve("afeat/speech.npy")).shape());
        float[] quiet = Npy.read(out.resolve("afeat/quiet.npy")).floats();
        for (float v : quiet) {
            assertEquals(0f, v);
        }
        // with one length for all (the first 2 seconds), the folder is a paired dataset every command reads
        Path fixed = work.resolve("fixed");
        ExtractJob.run(files, fixed, new Extractor(decoder, mobileNet, LogMelFeatures.MODEL, true, 2), "test", 2, n -> {}, QUIET);
        PairedDataset d = PairedDataset.load(fixed);
        assertEquals(List.of("bell", "quiet", "speech"), d.ids());
        assertEquals(2, d.frames());
        assertEquals(1280, d.video().dim());
        assertEquals(128, d.audio().dim());
        // a rerun does only what is not done
        ExtractJob.Result again = ExtractJob.run(files, out, x, "test", 2, n -> {}, QUIET);
        assertEquals(0, again.extracted());
        assertEquals(3, again.skipped());
        assertEquals(1, again.failed().size());
    }

    @Test
    void logMelStatisticsMatchNumpy() throws Exception {
        int rate = MediaDecoder.SAMPLE_RATE;
        float[] signal = new float[2 * rate];
        for (int i = 0; i < signal.length; i++) {
            double t = (double) i / rate;
            double x = t < 1 ? 0.5 * Math.sin(2 * Math.PI * 440 * t)
                    : 0.3 * Math.sin(2 * Math.PI * (1000 * (t - 1) + 1000 * (t - 1) * (t - 1)));
            x += 0.2 * Math.sin(2 * Math.PI * 200 * t) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 5 * t));
            signal[i] = (float) x;
        }
        float[] f = LogMelFeatures.of(signal, 2);
        List<String> lines = Files.readAllLines(Path.of(getClass().getResource("/logmel-golden.txt").toURI()));
        for (int s = 0; s < 2; s++) {
            String[] golden = lines.get(s).trim().split(" ");
            assertEquals(LogMelFeatures.DIMENSION, golden.length);
            for (int k = 0; k < golden.length; k++) {
                assertEquals(Double.parseDouble(golden[k]), f[s * LogMelFeatures.DIMENSION + k], 2e-4,
                        "second " + s + " value " + k);
            }
        }
    }

    /** Model files come from the models directory: a missing one names where it was looked for, a different one is refused. */
    @Test
    void aMissingOrDifferentModelFileIsATypedError(@TempDir Path dir) throws Exception {
        var missing = assertThrows(vidkit.data.InvalidDataException.class, () -> ImageModel.mobileNetV2(dir, 1));
        assertTrue(missing.getMessage().contains(dir.resolve(ImageModel.MOBILENET).toString())
                && missing.getMessage().contains("--models"), missing.getMessage());
        Files.write(dir.resolve(ImageModel.MOBILENET), new byte[] {1, 2, 3});
        var different = assertThrows(vidkit.data.CorruptFileException.class, () -> ImageModel.mobileNetV2(dir, 1));
        assertTrue(different.getMessage().contains(ImageModel.MOBILENET_SHA256), different.getMessage());
        assertThrows(vidkit.data.InvalidDataException.class, () -> YamNet.load(dir));
    }

    @Test
    void theGraphEditNeedsAQuantizedReader() throws Exception {
        byte[] model = ModelFiles.read(ModelFiles.defaultDir(), ImageModel.MOBILENET, ImageModel.MOBILENET_SHA256);
        List<OnnxGraphEdit.Node> nodes = OnnxGraphEdit.nodes(model);
        assertEquals(73, nodes.size()); // as python3-onnx counts them
        assertEquals("DequantizeLinear", nodes.get(nodes.size() - 1).opType());
        assertThrows(IllegalArgumentException.class, () -> OnnxGraphEdit.exposeDequantized(model, "nope", "x", 3));
        List<OnnxGraphEdit.Node> edited = OnnxGraphEdit.nodes(OnnxGraphEdit.exposeDequantized(model, "472_quantized", "f", 1280));
        assertEquals(74, edited.size());
        assertEquals(List.of("472_quantized", "464_scale", "464_zero_point"), edited.get(73).inputs());
    }

    /**
     * The yt8m layout: extracted clips → a whitening PCA (fitted, saved, reapplied) → frame-level
     * SequenceExample shards that vidkit's YouTube-8M reader reads back: ids, labels, one frame per
     * second, each value within half a quantization step of the PCA'd feature (or clipped at ±2).
     */
    @Test
    void extractedClipsExportAsYouTube8MFrameLevelShards(@TempDir Path work) throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        String[] photos = {"eagle.jpg", "dog.jpg", "kite.jpg", "horses.jpg", "giraffe.jpg"};
        for (int i = 0; i < photos.length; i++) {
            MediaFixtures.clip(in.resolve("c" + i + ".mp4"), photos[i], MediaFixtures.sound(i % 2 == 0 ? "bell.oga"
                    : "phone-incoming-call.oga"), 2 + i % 3, H264_AAC);
        }
        Path features = work.resolve("features");
        ExtractJob.run(vidkit.data.Shards.resolve(in.toString(), "*"), features, new Extractor(decoder, mobileNet, LogMelFeatures.MODEL, false, 0),
                "test", 2, n -> {}, QUIET);
        Path labels = Files.writeString(work.resolve("labels.csv"), "id,labels\nc0,5 7\nc1,7\nc2,\nc3,3861\nc4,0\n");
        Path out = work.resolve("yt8m");
        Yt8mExport.Result r = Yt8mExport.export(features, out, labels, 3862, null, 2);
        assertEquals(5, r.clips());
        assertEquals(3, r.shards());
        assertTrue(r.fittedPca());
        var read = vidkit.data.Yt8mReader.read(vidkit.data.Shards.resolve(out.toString()),
                vidkit.data.Yt8mReader.Options.frameLevel(3862, 300));
        assertEquals(5, read.videos().size());
        Pca.Pair pca = Pca.Pair.read(out.resolve(Yt8mExport.PCA_FILE));
        for (var v : read.videos()) {
            int i = Integer.parseInt(v.id().substring(1));
            assertEquals(2 + i % 3, v.frames(), v.id());
            float[] want = pca.visual().apply(Npy.read(features.resolve("vfeat/" + v.id() + ".npy")).floats(), v.frames());
            for (int k = 0; k < want.length; k++) {
                float clipped = Math.max(-2f, Math.min(2f, want[k]));
                assertEquals(clipped, v.rgb()[k], 2f / 255 + 4f / 512 + 1e-4f, v.id() + " rgb " + k);
            }
        }
        assertArrayEquals(new int[] {5, 7}, read.videos().stream().filter(v -> v.id().equals("c0")).findFirst().orElseThrow()
                .labels());
        assertEquals(0, read.videos().stream().filter(v -> v.id().equals("c2")).findFirst().orElseThrow().labels().length);
        // whitened: on the clips it was fitted on, the first audio direction has unit variance (up to the ridge)
        int n = 0;
        double sq = 0;
        for (var v : read.videos()) {
            float[] a = pca.audio().apply(Npy.read(features.resolve("afeat/" + v.id() + ".npy")).floats(), v.frames());
            for (int t = 0; t < v.frames(); t++) {
                sq += a[t * 128] * a[t * 128];
                n++;
            }
        }
        assertEquals(1.0, sq / (n - 1), 0.05);
        // the saved PCA applied again gives the same shards, byte for byte
        Path again = work.resolve("again");
        Yt8mExport.Result r2 = Yt8mExport.export(features, again, labels, 3862, out.resolve(Yt8mExport.PCA_FILE), 2);
        assertFalse(r2.fittedPca());
        for (int s = 0; s < 3; s++) {
            String shard = String.format("train-%04d.tfrecord", s);
            assertArrayEquals(Files.readAllBytes(out.resolve(shard)), Files.readAllBytes(again.resolve(shard)), shard);
        }
        // labels outside the vocabulary, and a damaged PCA file, are typed errors naming the file
        Path bad = Files.writeString(work.resolve("bad.csv"), "id,labels\nc0,3862\n");
        var e = assertThrows(vidkit.data.InvalidDataException.class, () -> Yt8mExport.export(features, work.resolve("x"),
                bad, 3862, null, 2));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("line 2"), e.getMessage());
        byte[] p = Files.readAllBytes(out.resolve(Yt8mExport.PCA_FILE));
        p[p.length / 2] ^= 1;
        Path damaged = Files.write(work.resolve("damaged.vkpca"), p);
        assertThrows(vidkit.data.CorruptFileException.class, () -> Pca.Pair.read(damaged));
    }
}
