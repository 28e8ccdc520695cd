package vidkit.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import vidkit.data.AtomicFiles;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.PairedDataset;

/**
 * Extracts a set of media files into the paired layout ({@code OUT/vfeat/ID.npy} float32
 * {@code [seconds, visual dimension]}, {@code OUT/afeat/ID.npy} {@code [seconds, 128]}; the id is
 * the file name without its extension) with {@code OUT/manifest.json}. Files go in parallel; each
 * feature file is written atomically, and a clip counts as done only once the manifest lists it.
 * The manifest is rewritten atomically at most once every {@value #MANIFEST_INTERVAL_MILLIS} ms while
 * files finish (rewriting it after every clip would write a folder's whole manifest once per file)
 * and at the end, so a rerun after a crash redoes at most the clips of that last interval and skips
 * the rest. A file that fails is reported (manifest {@code failed}) and the others
 * go on.
 */
public final class ExtractJob {
    public static final String MANIFEST = PairedDataset.MANIFEST_FILE;
    /** The longest a finished clip waits to be listed in the manifest. */
    static final long MANIFEST_INTERVAL_MILLIS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExtractJob() {}

    /** What a run did; {@code mediaSeconds}: the seconds of media extracted (kept), over all files. */
    public record Result(int extracted, int skipped, Map<String, ExtractManifest.Failure> failed, double mediaSeconds,
            double wallSeconds) {}

    /** The manifest of {@code out}, or {@code null} when it has none. */
    public static ExtractManifest readManifest(Path out) throws IOException {
        Path f = out.resolve(MANIFEST);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), ExtractManifest.class);
        } catch (IOException e) {
            throw new InvalidDataException(f, "is not a vidkit extraction manifest: " + e.getMessage());
        }
    }

    /** A media file's clip id: its name without the extension. */
    public static String id(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * @param parallel files extracted at once
     * @param done called with 1 after each file (extracted, skipped or failed)
     */
    public static Result run(List<Path> files, Path out, Extractor extractor, String vidkitVersion, int parallel,
            IntConsumer done, PrintStream log) throws IOException, InterruptedException {
        Map<String, Path> ids = new HashMap<>();
        for (Path f : files) {
            Path before = ids.put(id(f), f);
            if (before != null) {
                throw new InvalidDataException(f, "has the clip id '" + id(f) + "' of " + before
                        + ": two inputs would write the same feature files");
            }
        }
        ImageModel v = extractor.visual();
        ExtractManifest fresh = new ExtractManifest("vidkit extract", vidkitVersion, 1, MediaDecoder.SAMPLE_RATE,
                extractor.visualModel(), extractor.audioModel(), null, null);
        ExtractManifest old = readManifest(out);
        if (old != null && !old.sameExtractors(fresh)) {
            throw new InvalidDataException(out.resolve(MANIFEST), "was written by other extractors (" + old.visual() + ", "
                    + old.audio() + "); extract into another directory");
        }
        Map<String, ExtractManifest.Clip> clips = new java.util.TreeMap<>(old == null ? Map.of() : old.clips());
        Map<String, ExtractManifest.Failure> failed = new java.util.TreeMap<>(old == null ? Map.of() : old.failed());
        Files.createDirectories(out.resolve(PairedDataset.VIDEO_DIR));
        Files.createDirectories(out.resolve(PairedDataset.AUDIO_DIR));
        Object lock = new Object();
        long start = System.nanoTime();
        long[] lastWrite = {start - MANIFEST_INTERVAL_MILLIS * 1_000_000L};
        int[] counts = new int[2];
        double[] seconds = new double[1];
        Map<String, ExtractManifest.Failure> failedNow = new java.util.TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Path f : files) {
                String id = id(f);
                Path vf = out.resolve(PairedDataset.VIDEO_DIR).resolve(id + ".npy");
                Path af = out.resolve(PairedDataset.AUDIO_DIR).resolve(id + ".npy");
                if (clips.containsKey(id) && Files.exists(vf) && Files.exists(af)) {
                    counts[1]++;
                    done.accept(1);
                    continue;
                }
                futures.add(pool.submit(() -> {
                    try {
                        Extractor.Features x = extractor.extract(f);
                        Npy.write(af, NpyArray.ofFloats(x.audio(), x.seconds(), extractor.audio().dimension()));
                        Npy.write(vf, NpyArray.ofFloats(x.video(), x.seconds(), v.dimension()));
                        DecodedMedia m = x.media();
                        synchronized (lock) {
                            clips.put(id, new ExtractManifest.Clip(f.toAbsolutePath().normalize().toString(), x.seconds(),
                                    !m.hasAudio(), m.width(), m.height(), m.rotation()));
                            failed.remove(f.toString());
                            counts[0]++;
                            seconds[0] += x.seconds();
                            writeEvery(out, fresh, clips, failed, lastWrite);
                        }
                    } catch (MediaException e) {
                        synchronized (lock) {
                            ExtractManifest.Failure why = new ExtractManifest.Failure(e.reason().name().toLowerCase(
                                    java.util.Locale.ROOT), e.getMessage());
                            failed.put(f.toString(), why);
                            failedNow.put(f.toString(), why);
                            log.println("skipped: " + e.getMessage());
                            writeEvery(out, fresh, clips, failed, lastWrite);
                        }
                    }
                    done.accept(1);
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                try {
                    fu.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(c);
                }
            }
            synchronized (lock) {
                write(out, fresh, clips, failed);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(counts[0], counts[1], failedNow, seconds[0], (System.nanoTime() - start) / 1e9);
    }

    /** {@link #write} unless the manifest was written less than the interval ago (caller holds the lock). */
    private static void writeEvery(Path out, ExtractManifest fresh, Map<String, ExtractManifest.Clip> clips,
            Map<String, ExtractManifest.Failure> failed, long[] lastWrite) throws IOException {
        long now = System.nanoTime();
        if (now - lastWrite[0] >= MANIFEST_INTERVAL_MILLIS * 1_000_000L) {
            write(out, fresh, clips, failed);
            lastWrite[0] = now;
        }
    }

    /** A manifest as the JSON {@code vidkit extract} writes. */
    public static byte[] manifestBytes(ExtractManifest m) throws IOException {
        return JSON.writeValueAsBytes(m);
    }

    private static void write(Path out, ExtractManifest fresh, Map<String, ExtractManifest.Clip> clips,
            Map<String, ExtractManifest.Failure> failed) throws IOException {
        ExtractManifest m = new ExtractManifest(fresh.extractor(), fresh.vidkitVersion(), fresh.fps(), fresh.sampleRate(),
                fresh.visual(), fresh.audio(), clips, failed);
        AtomicFiles.writeString(out.resolve(MANIFEST), JSON.writeValueAsString(m));
    }
}
