package vidkit.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads YouTube-8M shards: video-level {@code tf.train.Example}s ({@code mean_rgb}, {@code
 * mean_audio}) or frame-level {@code tf.train.SequenceExample}s ({@code rgb}, {@code audio}: one
 * quantized byte string per second), in parallel across shards, keeping the shards' order.
 *
 * <p>The id is taken from {@code id} or, failing that, {@code video_id} (both occur). Labels are an
 * int64 list, each in {@code [0, classes)}. Frame-level bytes are dequantized as the official
 * reader does: {@code x = q·4/255 − 2 + 4/512}. Frames beyond {@code maxFrames} are dropped; the
 * true count is kept in {@link Yt8mVideo#totalFrames()}.
 */
public final class Yt8mReader {
    public static final int RGB_DIM = 1024;
    public static final int AUDIO_DIM = 128;

    /**
     * @param frameLevel SequenceExamples (else Examples)
     * @param classes vocabulary size (3,862 for YouTube-8M 2018)
     * @param maxFrames frames kept per video (frame level)
     * @param threads shards decoded at once
     * @param verifyChecksums check the TFRecord CRCs
     * @param skipCorrupt skip corrupt records and report them (else the first one is an error)
     */
    public record Options(boolean frameLevel, int classes, int maxFrames, int threads, boolean verifyChecksums,
            boolean skipCorrupt) {
        public Options {
            if (classes < 1 || maxFrames < 1 || threads < 1) {
                throw new IllegalArgumentException("classes, maxFrames and threads must be positive");
            }
        }

        public static Options videoLevel(int classes) {
            return new Options(false, classes, 1, Runtime.getRuntime().availableProcessors(), true, false);
        }

        public static Options frameLevel(int classes, int maxFrames) {
            return new Options(true, classes, maxFrames, Runtime.getRuntime().availableProcessors(), true, false);
        }

        public Options withSkipCorrupt(boolean skip) {
            return new Options(frameLevel, classes, maxFrames, threads, verifyChecksums, skip);
        }

        public Options withThreads(int n) {
            return new Options(frameLevel, classes, maxFrames, n, verifyChecksums, skipCorrupt);
        }
    }

    /** A record that was skipped. */
    public record Skipped(Path file, long offset, String reason) {}

    /** The videos read, in shard order, and what was skipped. */
    public record Result(List<Yt8mVideo> videos, List<Skipped> skipped, long bytes) {}

    private Yt8mReader() {}

    public static Result read(List<Path> shards, Options options) throws IOException {
        return read(shards, options, null);
    }

    /** As {@link #read(List, Options)}, calling {@code shardDone} (from any thread) as each shard finishes. */
    public static Result read(List<Path> shards, Options options, Runnable shardDone) throws IOException {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no shards to read");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), shards.size()));
        try {
            List<Future<Result>> parts = new ArrayList<>();
            for (Path shard : shards) {
                parts.add(pool.submit(() -> {
                    Result r = readShard(shard, options);
                    if (shardDone != null) {
                        shardDone.run();
                    }
                    return r;
                }));
            }
            List<Yt8mVideo> videos = new ArrayList<>();
            List<Skipped> skipped = new ArrayList<>();
            long bytes = 0;
            for (Future<Result> f : parts) {
                Result r;
                try {
                    r = f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                videos.addAll(r.videos());
                skipped.addAll(r.skipped());
                bytes += r.bytes();
            }
            return new Result(videos, skipped, bytes);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads one shard sequentially. */
    public static Result readShard(Path shard, Options options) throws IOException {
        return readShard(options, log -> TfRecordReader.open(shard, options.verifyChecksums(), log), shard);
    }

    /**
     * Reads one shard from a stream (any size; a Spark executor's file on HDFS or S3); {@code name}
     * names it in errors and skip reports. Closes the stream.
     */
    public static Result readShard(InputStream in, Path name, Options options) throws IOException {
        return readShard(options, log -> TfRecordReader.open(in, name, options.verifyChecksums(), log), name);
    }

    /** Reads one shard held in memory; {@code name} names it in errors and skip reports. */
    public static Result readShard(byte[] bytes, Path name, Options options) throws IOException {
        return readShard(options, log -> TfRecordReader.open(bytes, name, options.verifyChecksums(), log), name);
    }

    private interface Opener {
        TfRecordReader open(TfRecordReader.SkipLog log) throws IOException;
    }

    private static Result readShard(Options options, Opener opener, Path shard) throws IOException {
        List<Yt8mVideo> videos = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        TfRecordReader.SkipLog log = options.skipCorrupt() ? (f, o, why) -> skipped.add(new Skipped(f, o, why)) : null;
        long bytes = 0;
        try (TfRecordReader reader = opener.open(log)) {
            while (reader.advance()) {
                bytes += reader.length() + 16;
                long offset = reader.recordOffset();
                try {
                    videos.add(parse(shard, offset, reader.buffer(), reader.payloadOffset(), reader.length(), options));
                } catch (InvalidRecordException e) {
                    if (!options.skipCorrupt()) {
                        throw e;
                    }
                    skipped.add(new Skipped(shard, offset, e.getMessage()));
                }
            }
        }
        return new Result(videos, skipped, bytes);
    }

    static Yt8mVideo parse(Path file, long offset, byte[] buffer, int start, int length, Options options)
            throws InvalidRecordException {
        if (!options.frameLevel()) {
            Yt8mVideo fast = VideoLevelDecoder.tryDecode(buffer, start, length, options.classes());
            if (fast != null) {
                return fast;
            }
        }
        return parseGeneric(file, offset, buffer, start, length, options);
    }

    /** Decodes through the generic {@link TfExample} (the path that explains every rejection). */
    static Yt8mVideo parseGeneric(Path file, long offset, byte[] buffer, int start, int length, Options options)
            throws InvalidRecordException {
        TfExample ex;
        try {
            ex = options.frameLevel() ? TfExample.decodeSequenceExample(buffer, start, length)
                    : TfExample.decodeExample(buffer, start, length);
        } catch (ProtoException e) {
            throw new InvalidRecordException(file, offset, null, "not a " + (options.frameLevel() ? "SequenceExample" : "Example")
                    + ": " + e.getMessage());
        }
        String id = id(file, offset, ex);
        int[] labels = labels(file, offset, ex, options.classes());
        if (!options.frameLevel()) {
            float[] rgb = floats(file, offset, ex, "mean_rgb", RGB_DIM);
            float[] audio = floats(file, offset, ex, "mean_audio", AUDIO_DIM);
            return new Yt8mVideo(id, labels, 1, 1, rgb, audio);
        }
        List<TfFeature> rgbSteps = steps(file, offset, ex, "rgb");
        List<TfFeature> audioSteps = steps(file, offset, ex, "audio");
        if (rgbSteps.size() != audioSteps.size()) {
            throw new InvalidRecordException(file, offset, "audio", audioSteps.size() + " frames but 'rgb' has " + rgbSteps.size());
        }
        int total = rgbSteps.size();
        int frames = Math.min(total, options.maxFrames());
        float[] rgb = new float[frames * RGB_DIM];
        float[] audio = new float[frames * AUDIO_DIM];
        for (int t = 0; t < frames; t++) {
            dequantize(file, offset, "rgb", t, rgbSteps.get(t), RGB_DIM, rgb);
            dequantize(file, offset, "audio", t, audioSteps.get(t), AUDIO_DIM, audio);
        }
        return new Yt8mVideo(id, labels, frames, total, rgb, audio);
    }

    /** The official dequantization of one byte: {@code q·4/255 − 2 + 4/512}. */
    public static float dequantize(int q) {
        return q * (4f / 255f) + (4f / 512f - 2f);
    }

    /** The quantization that YouTube-8M applied: {@code round((clip(x, −2, 2) + 2)·255/4)}. */
    public static int quantize(float x) {
        return Math.round((Math.max(-2f, Math.min(2f, x)) + 2f) * 255f / 4f);
    }

    private static void dequantize(Path file, long offset, String key, int t, TfFeature f, int dim, float[] out)
            throws InvalidRecordException {
        if (!(f instanceof TfFeature.Bytes b) || b.values().size() != 1) {
            throw new InvalidRecordException(file, offset, key, "frame " + t + ": expected one bytes value, got "
                    + (f instanceof TfFeature.Bytes b2 ? b2.values().size() + " bytes values" : f.kind()));
        }
        byte[] q = b.values().get(0);
        if (q.length != dim) {
            throw new InvalidRecordException(file, offset, key, "frame " + t + ": expected " + dim + " bytes, got " + q.length);
        }
        int base = t * dim;
        for (int i = 0; i < dim; i++) {
            out[base + i] = dequantize(q[i] & 0xff);
        }
    }

    private static List<TfFeature> steps(Path file, long offset, TfExample ex, String key) throws InvalidRecordException {
        List<TfFeature> steps = ex.featureLists().get(key);
        if (steps == null) {
            throw new InvalidRecordException(file, offset, key, "missing feature list (have " + ex.featureLists().keySet() + ")");
        }
        return steps;
    }

    private static String id(Path file, long offset, TfExample ex) throws InvalidRecordException {
        TfFeature f = ex.features().get("id");
        String key = "id";
        if (f == null) {
            f = ex.features().get("video_id");
            key = "video_id";
        }
        if (f == null) {
            throw new InvalidRecordException(file, offset, "id", "missing: neither 'id' nor 'video_id' is present");
        }
        if (!(f instanceof TfFeature.Bytes b) || b.values().size() != 1) {
            throw new InvalidRecordException(file, offset, key, "expected one bytes value, got " + describe(f));
        }
        return new String(b.values().get(0), StandardCharsets.UTF_8);
    }

    private static int[] labels(Path file, long offset, TfExample ex, int classes) throws InvalidRecordException {
        TfFeature f = ex.features().get("labels");
        if (f == null) {
            throw new InvalidRecordException(file, offset, "labels", "missing");
        }
        if (f instanceof TfFeature.Bytes b && b.values().isEmpty()) {
            return new int[0]; // an empty Feature (no kind set): a video without labels
        }
        if (!(f instanceof TfFeature.Int64s l)) {
            throw new InvalidRecordException(file, offset, "labels", "expected an int64_list, got " + f.kind());
        }
        int[] out = new int[l.values().length];
        for (int i = 0; i < out.length; i++) {
            long v = l.values()[i];
            if (v < 0 || v >= classes) {
                throw new InvalidRecordException(file, offset, "labels", "label " + v + " is outside the vocabulary [0, " + classes + ")");
            }
            out[i] = (int) v;
        }
        Arrays.sort(out);
        return out;
    }

    private static float[] floats(Path file, long offset, TfExample ex, String key, int dim) throws InvalidRecordException {
        TfFeature f = ex.features().get(key);
        if (f == null) {
            throw new InvalidRecordException(file, offset, key, "missing (have " + ex.features().keySet() + ")");
        }
        if (!(f instanceof TfFeature.Floats fl)) {
            throw new InvalidRecordException(file, offset, key, "expected a float_list, got " + f.kind());
        }
        if (fl.values().length != dim) {
            throw new InvalidRecordException(file, offset, key, "expected " + dim + " floats, got " + fl.values().length);
        }
        if (!allFinite(fl.values())) {
            for (float v : fl.values()) {
                if (!Float.isFinite(v)) {
                    throw new InvalidRecordException(file, offset, key, "non-finite value " + v);
                }
            }
        }
        return fl.values();
    }

    private static final jdk.incubator.vector.VectorSpecies<Float> FLOATS = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    private static final jdk.incubator.vector.VectorSpecies<Integer> INTS = jdk.incubator.vector.IntVector.SPECIES_PREFERRED;

    /**
     * No NaN or infinity. A float is non-finite iff its exponent field {@code e = bits & 0x7f800000}
     * is all ones, i.e. iff {@code e + 0x00800000} reaches bit 31; those sums are OR-ed over the
     * array with the Vector API (a scalar loop of the same did not vectorize).
     */
    static boolean allFinite(float[] values) {
        int i = 0;
        int upper = FLOATS.loopBound(values.length);
        jdk.incubator.vector.IntVector any = jdk.incubator.vector.IntVector.zero(INTS);
        for (; i < upper; i += FLOATS.length()) {
            var bits = jdk.incubator.vector.FloatVector.fromArray(FLOATS, values, i).reinterpretAsInts();
            any = any.or(bits.and(0x7f800000).add(0x00800000));
        }
        int rest = any.reduceLanes(jdk.incubator.vector.VectorOperators.OR);
        for (; i < values.length; i++) {
            rest |= (Float.floatToRawIntBits(values[i]) & 0x7f800000) + 0x00800000;
        }
        return rest >= 0;
    }

    private static String describe(TfFeature f) {
        return f instanceof TfFeature.Bytes b ? b.values().size() + " bytes values" : f.kind();
    }
}
