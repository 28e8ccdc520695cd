package vidkit.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Videos with per-frame visual and audio features and a set of labels each, for tagging. Frame
 * counts may differ between videos (YouTube-8M frame level); video-level data has one frame.
 *
 * @param source where the data came from (directory or shard pattern), for messages and provenance
 * @param ids video ids, unique
 * @param labels each video's label indices, sorted, in {@code [0, vocabulary.size())}
 * @param frames each video's frame count (≥ 1)
 * @param visualDim visual features per frame
 * @param audioDim audio features per frame
 * @param visual each video's {@code [frames, visualDim]} row-major
 * @param audio each video's {@code [frames, audioDim]} row-major
 * @param vocabulary class names
 * @param groups each video's source group for grouped splits (AVE: {@code youtube_id}), or {@code null}
 * @param singleLabel every video has exactly one label (AVE): accuracy and the confusion matrix apply
 */
public record TaggingDataset(String source, List<String> ids, int[][] labels, int[] frames, int visualDim, int audioDim,
        List<float[]> visual, List<float[]> audio, Vocabulary vocabulary, List<String> groups, boolean singleLabel) {
    public TaggingDataset {
        int n = ids.size();
        if (labels.length != n || frames.length != n || visual.size() != n || audio.size() != n
                || (groups != null && groups.size() != n)) {
            throw new IllegalArgumentException(source + ": ids, labels, frames and features differ in count");
        }
        for (int i = 0; i < n; i++) {
            if (visual.get(i).length != frames[i] * visualDim || audio.get(i).length != frames[i] * audioDim) {
                throw new IllegalArgumentException(source + ": video " + ids.get(i) + " features do not match its "
                        + frames[i] + " frames");
            }
        }
    }

    public int size() {
        return ids.size();
    }

    public int classes() {
        return vocabulary.size();
    }

    /**
     * The videos {@code rows} padded at the end to the longest of them ({@code frames}, at least 1):
     * {@code visual [rows, frames, visualDim]}, {@code audio [rows, frames, audioDim]} and {@code mask
     * [rows, frames]} (1 for a real frame, 0 for padding), row-major.
     */
    public record PaddedFrames(int frames, float[] visual, float[] audio, float[] mask) {}

    /** {@link PaddedFrames} of the videos {@code rows}. */
    public PaddedFrames padded(int[] rows) {
        int t = 1;
        for (int r : rows) {
            t = Math.max(t, frames[r]);
        }
        float[] v = new float[rows.length * t * visualDim];
        float[] a = new float[rows.length * t * audioDim];
        float[] mask = new float[rows.length * t];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            System.arraycopy(visual.get(r), 0, v, i * t * visualDim, frames[r] * visualDim);
            System.arraycopy(audio.get(r), 0, a, i * t * audioDim, frames[r] * audioDim);
            java.util.Arrays.fill(mask, i * t, i * t + frames[r], 1f);
        }
        return new PaddedFrames(t, v, a, mask);
    }

    public int maxFrames() {
        int m = 0;
        for (int f : frames) {
            m = Math.max(m, f);
        }
        return m;
    }

    /** YouTube-8M videos as read from shards. */
    public static TaggingDataset fromYt8m(String source, List<Yt8mVideo> videos, Vocabulary vocabulary)
            throws InvalidDataException {
        List<String> ids = new ArrayList<>();
        int[][] labels = new int[videos.size()][];
        int[] frames = new int[videos.size()];
        List<float[]> visual = new ArrayList<>();
        List<float[]> audio = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < videos.size(); i++) {
            Yt8mVideo v = videos.get(i);
            if (seen.put(v.id(), i) != null) {
                throw new InvalidDataException(Path.of(source), "video id '" + v.id() + "' occurs twice");
            }
            ids.add(v.id());
            labels[i] = v.labels();
            frames[i] = v.frames();
            visual.add(v.rgb());
            audio.add(v.audio());
        }
        return new TaggingDataset(source, ids, labels, frames, Yt8mReader.RGB_DIM, Yt8mReader.AUDIO_DIM, visual, audio,
                vocabulary, null, false);
    }

    /** A labelled paired dataset (AVE: one event class per clip, names from labels.csv). */
    public static TaggingDataset fromPaired(PairedDataset data) throws InvalidDataException {
        if (data.labels() == null) {
            throw new InvalidDataException(data.root(), "tagging needs " + PairedDataset.LABELS_FILE);
        }
        Map<Integer, String> names = data.classNames();
        int classes = names.keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
        String[] vocab = new String[classes];
        for (int c = 0; c < classes; c++) {
            vocab[c] = names.getOrDefault(c, "class " + c);
        }
        int n = data.size();
        int[][] labels = new int[n][];
        int[] frames = new int[n];
        List<float[]> visual = new ArrayList<>();
        List<float[]> audio = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        int f = data.frames();
        int vd = data.video().dim();
        int ad = data.audio().dim();
        for (int i = 0; i < n; i++) {
            labels[i] = new int[] {data.labels().get(i).label()};
            frames[i] = f;
            visual.add(java.util.Arrays.copyOfRange(data.video().values(), i * f * vd, (i + 1) * f * vd));
            audio.add(java.util.Arrays.copyOfRange(data.audio().values(), i * f * ad, (i + 1) * f * ad));
            groups.add(data.labels().get(i).group());
        }
        return new TaggingDataset(data.root().toString(), data.ids(), labels, frames, vd, ad, visual, audio,
                new Vocabulary(vocab), groups, true);
    }

    /** The videos with these ids, in the given order. */
    public TaggingDataset selectIds(List<String> wanted) throws InvalidDataException {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        int[][] l = new int[wanted.size()][];
        int[] f = new int[wanted.size()];
        List<float[]> v = new ArrayList<>();
        List<float[]> a = new ArrayList<>();
        List<String> g = groups == null ? null : new ArrayList<>();
        for (int k = 0; k < wanted.size(); k++) {
            Integer i = index.get(wanted.get(k));
            if (i == null) {
                throw new InvalidDataException(Path.of(source), "has no video with id " + wanted.get(k));
            }
            l[k] = labels[i];
            f[k] = frames[i];
            v.add(visual.get(i));
            a.add(audio.get(i));
            if (g != null) {
                g.add(groups.get(i));
            }
        }
        return new TaggingDataset(source, wanted, l, f, visualDim, audioDim, v, a, vocabulary, g, singleLabel);
    }

    /** Each video's first label (the stratum of a stratified split). */
    public int[] firstLabels() {
        int[] s = new int[size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = labels[i].length == 0 ? -1 : labels[i][0];
        }
        return s;
    }

    /** SHA-256 over ids, labels and features: identifies the data a run used. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < size(); i++) {
                sha.update(ids.get(i).getBytes(StandardCharsets.UTF_8));
                ByteBuffer b = ByteBuffer.allocate(4 * (labels[i].length + 1 + visual.get(i).length + audio.get(i).length))
                        .order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(labels[i].length);
                for (int l : labels[i]) {
                    b.putInt(l);
                }
                b.asFloatBuffer().put(visual.get(i)).put(audio.get(i));
                sha.update(b.array());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code spec} names a paired directory (else it is a shard specification). */
    public static boolean isPairedDirectory(String spec) {
        return java.nio.file.Files.isDirectory(Path.of(spec).resolve(PairedDataset.VIDEO_DIR));
    }

    /**
     * Loads a data source: a paired directory (with labels.csv) or YouTube-8M shards; {@code
     * shardDone} (may be null) is called as each shard is read.
     */
    public static TaggingDataset load(String spec, boolean frameLevel, int maxFrames, Path vocabularyFile,
            boolean skipCorrupt, java.io.PrintStream log, Runnable shardDone) throws IOException {
        Path p = Path.of(spec);
        if (isPairedDirectory(spec)) {
            return fromPaired(PairedDataset.load(p));
        }
        List<Path> shards = Shards.resolve(spec);
        Vocabulary vocabulary = vocabularyFile == null ? Vocabulary.unnamed(Vocabulary.YT8M_CLASSES)
                : Vocabulary.read(vocabularyFile, Vocabulary.YT8M_CLASSES);
        Yt8mReader.Options opts = (frameLevel ? Yt8mReader.Options.frameLevel(vocabulary.size(), maxFrames)
                : Yt8mReader.Options.videoLevel(vocabulary.size())).withSkipCorrupt(skipCorrupt);
        Yt8mReader.Result r = Yt8mReader.read(shards, opts, shardDone);
        if (!r.skipped().isEmpty() && log != null) {
            log.printf("  skipped %d corrupt record(s):%n", r.skipped().size());
            for (Yt8mReader.Skipped s : r.skipped()) {
                log.printf("    %s at byte %d: %s%n", s.file(), s.offset(), s.reason());
            }
        }
        if (r.videos().isEmpty()) {
            throw new InvalidDataException(p, "no videos in " + shards.size() + " shard(s)");
        }
        return fromYt8m(spec, r.videos(), vocabulary);
    }
}
