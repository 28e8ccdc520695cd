package vidkit.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Paired audio and video features of the same clips, laid out as in the course data:
 * {@code DIR/vfeat/ID.npy} ({@code [frames, videoDim]}), {@code DIR/afeat/ID.npy} ({@code [frames,
 * audioDim]}) and optionally {@code DIR/labels.csv} ({@code id,label,event,youtube_id,...}). The
 * same id in both directories is the same clip; clip i of {@link #video()} is paired with clip i of
 * {@link #audio()}.
 *
 * @param root the dataset directory
 * @param video visual features {@code [clips, frames, videoDim]}
 * @param audio audio features {@code [clips, frames, audioDim]}, ids aligned with {@code video}
 * @param labels per clip, aligned with the ids; {@code null} when the dataset has no labels.csv
 */
public record PairedDataset(Path root, FeatureSet video, FeatureSet audio, List<ClipLabel> labels) {
    public static final String VIDEO_DIR = "vfeat";
    public static final String AUDIO_DIR = "afeat";
    public static final String LABELS_FILE = "labels.csv";
    /** Written by {@code vidkit extract}: which extractors made the features (see {@code vidkit.media.ExtractManifest}). */
    public static final String MANIFEST_FILE = "manifest.json";

    public PairedDataset {
        if (!video.ids().equals(audio.ids())) {
            throw new IllegalArgumentException("video and audio ids differ");
        }
        if (video.frames() != audio.frames()) {
            throw new IllegalArgumentException("video has " + video.frames() + " frames, audio " + audio.frames());
        }
        if (labels != null) {
            labels = List.copyOf(labels);
            if (labels.size() != video.size()) {
                throw new IllegalArgumentException("labels for " + labels.size() + " of " + video.size() + " clips");
            }
        }
    }

    /** Loads and validates the dataset in {@code dir}. */
    public static PairedDataset load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidDataException(dir, "dataset directory does not exist (expected "
                    + VIDEO_DIR + "/ and " + AUDIO_DIR + "/ inside)");
        }
        FeatureSet video = FeatureSet.load(dir.resolve(VIDEO_DIR));
        FeatureSet audio = FeatureSet.load(dir.resolve(AUDIO_DIR));
        checkPartners(video, audio);
        checkPartners(audio, video);
        if (video.frames() != audio.frames()) {
            throw new InvalidDataException(dir.resolve(AUDIO_DIR), "audio clips have " + audio.frames()
                    + " frames but video clips " + video.frames() + " (both must have one row per second)");
        }
        Path labelsFile = dir.resolve(LABELS_FILE);
        List<ClipLabel> labels = Files.exists(labelsFile) ? readLabels(labelsFile, video.ids()) : null;
        return new PairedDataset(dir, video, audio, labels);
    }

    private static void checkPartners(FeatureSet a, FeatureSet b) throws InvalidDataException {
        Set<String> other = new HashSet<>(b.ids());
        for (String id : a.ids()) {
            if (!other.contains(id)) {
                throw new InvalidDataException(a.dir().resolve(id + ".npy"),
                        "has no partner: expected " + b.dir().resolve(id + ".npy"));
            }
        }
    }

    /** Reads labels.csv; every clip must have a row. Rows for clips not present are ignored. */
    static List<ClipLabel> readLabels(Path file, List<String> ids) throws IOException {
        List<List<String>> rows = Csv.read(file);
        if (rows.isEmpty()) {
            throw new InvalidDataException(file, "empty (expected a header id,label,event,youtube_id,...)");
        }
        List<String> header = rows.get(0);
        int idCol = header.indexOf("id");
        int labelCol = header.indexOf("label");
        int eventCol = header.indexOf("event");
        int groupCol = header.indexOf("youtube_id");
        if (idCol < 0 || labelCol < 0) {
            throw new InvalidDataException(file, "header " + header + " lacks the columns 'id' and 'label'");
        }
        Map<String, ClipLabel> byId = new HashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new InvalidDataException(file, "row " + (r + 1) + " has " + row.size() + " fields, the header "
                        + header.size());
            }
            int label;
            try {
                label = Integer.parseInt(row.get(labelCol).strip());
            } catch (NumberFormatException e) {
                throw new InvalidDataException(file, "row " + (r + 1) + ": label '" + row.get(labelCol)
                        + "' is not an integer");
            }
            if (label < 0) {
                throw new InvalidDataException(file, "row " + (r + 1) + ": negative label " + label);
            }
            String id = row.get(idCol).strip();
            String event = eventCol >= 0 ? row.get(eventCol) : Integer.toString(label);
            String group = groupCol >= 0 && !row.get(groupCol).isBlank() ? row.get(groupCol) : id;
            if (byId.put(id, new ClipLabel(label, event, group)) != null) {
                throw new InvalidDataException(file, "id " + id + " appears twice");
            }
        }
        List<ClipLabel> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            ClipLabel l = byId.get(id);
            if (l == null) {
                throw new InvalidDataException(file, "no row for clip " + id);
            }
            out.add(l);
        }
        return out;
    }

    /** Number of clips. */
    public int size() {
        return video.size();
    }

    /** Clip ids in sorted order. */
    public List<String> ids() {
        return video.ids();
    }

    /** Time steps per clip. */
    public int frames() {
        return video.frames();
    }

    /** The clips at {@code indices}, in that order. */
    public PairedDataset select(int[] indices) {
        List<ClipLabel> sub = null;
        if (labels != null) {
            sub = new ArrayList<>(indices.length);
            for (int i : indices) {
                sub.add(labels.get(i));
            }
        }
        return new PairedDataset(root, video.select(indices), audio.select(indices), sub);
    }

    /** The clips with the given ids, in that order; unknown ids raise an error naming the id. */
    public PairedDataset selectIds(List<String> wanted) throws InvalidDataException {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < size(); i++) {
            index.put(ids().get(i), i);
        }
        int[] idx = new int[wanted.size()];
        for (int i = 0; i < idx.length; i++) {
            Integer k = index.get(wanted.get(i));
            if (k == null) {
                throw new InvalidDataException(root, "has no clip with id " + wanted.get(i));
            }
            idx[i] = k;
        }
        return select(idx);
    }

    /** SHA-256 over both modalities' files: identifies the data a run used. */
    public String fingerprint() {
        var sha = FeatureSet.newDigest();
        sha.update(video.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sha.update(audio.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    /** Class names by label, from labels.csv; empty without labels. */
    public Map<Integer, String> classNames() {
        Map<Integer, String> names = new TreeMap<>();
        if (labels != null) {
            for (ClipLabel l : labels) {
                names.putIfAbsent(l.label(), l.event());
            }
        }
        return names;
    }
}
