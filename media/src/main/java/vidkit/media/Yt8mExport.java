package vidkit.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import vidkit.data.AtomicFiles;
import vidkit.data.Csv;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.PairedDataset;
import vidkit.data.TfExample;
import vidkit.data.TfFeature;
import vidkit.data.TfRecordWriter;
import vidkit.data.Yt8mReader;

/**
 * Writes extracted features as YouTube-8M frame-level shards, so that a tagger trains on a user's
 * own videos exactly as on YouTube-8M: a {@code tf.train.SequenceExample} per clip with context
 * {@code id}, {@code labels} (int64), {@code mean_rgb} (1,024 floats), {@code mean_audio} (128) and
 * feature lists {@code rgb} (1,024 bytes a second) and {@code audio} (128 bytes), quantized as the
 * official code does: {@code q = round((clip(x, −2, 2) + 2) · 255 / 4)}. As YouTube-8M's
 * pipeline, a whitening PCA comes first (visual 1,280 → 1,024, audio → 128), fitted on the set
 * (at most {@value #PCA_ROWS} seconds, drawn with a fixed seed) and saved as {@value #PCA_FILE}, or
 * taken from an earlier export so that new videos share the training set's transform. Shards
 * {@code train-NNNN.tfrecord} are written atomically.
 */
public final class Yt8mExport {
    public static final String PCA_FILE = "pca.vkpca";
    static final int PCA_ROWS = 20_000;

    private Yt8mExport() {}

    /** What was written. */
    public record Result(int clips, int shards, boolean fittedPca, Path pca) {}

    /**
     * Labels per clip id from a CSV: a {@code labels} column of space-separated class indices
     * (YouTube-8M style), or a {@code label} column with one index (AVE style); each in
     * {@code [0, classes)}.
     */
    static Map<String, long[]> labels(Path csv, int classes) throws IOException {
        List<List<String>> rows = Csv.read(csv);
        if (rows.isEmpty()) {
            throw new InvalidDataException(csv, "is empty (expected a header with id and labels or label)");
        }
        List<String> header = rows.get(0);
        int id = header.indexOf("id");
        int many = header.indexOf("labels");
        int one = header.indexOf("label");
        if (id < 0 || (many < 0 && one < 0)) {
            throw new InvalidDataException(csv, "needs columns id and labels (space-separated class indices) or label");
        }
        Map<String, long[]> out = new HashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int col = many >= 0 ? many : one;
            if (row.size() <= Math.max(col, id)) {
                throw new InvalidDataException(csv, "line " + (r + 1) + " has " + row.size() + " fields");
            }
            String cell = row.get(col);
            String[] parts = cell.isBlank() ? new String[0] : cell.trim().split("\\s+");
            long[] l = new long[parts.length];
            for (int k = 0; k < parts.length; k++) {
                try {
                    l[k] = Long.parseLong(parts[k]);
                } catch (NumberFormatException e) {
                    throw new InvalidDataException(csv, "line " + (r + 1) + ": label '" + parts[k] + "' is not a class index");
                }
                if (l[k] < 0 || l[k] >= classes) {
                    throw new InvalidDataException(csv, "line " + (r + 1) + ": label " + l[k] + " is outside [0, " + classes + ")");
                }
            }
            out.put(row.get(id), l);
        }
        return out;
    }

    /**
     * @param features an extraction directory (paired layout with its manifest)
     * @param out where the shards and the PCA go
     * @param labelsCsv labels per clip id, or {@code null} (no labels)
     * @param pcaFrom an earlier export's {@value #PCA_FILE} to apply, or {@code null} to fit one
     */
    public static Result export(Path features, Path out, Path labelsCsv, int classes, Path pcaFrom, int clipsPerShard)
            throws IOException {
        ExtractManifest manifest = ExtractJob.readManifest(features);
        if (manifest == null) {
            throw new InvalidDataException(features, "has no " + ExtractJob.MANIFEST + ": export what vidkit extract wrote");
        }
        Map<String, long[]> labels = labelsCsv == null ? Map.of() : labels(labelsCsv, classes);
        List<String> ids = new ArrayList<>(manifest.clips().keySet());
        Files.createDirectories(out);
        Pca.Pair pca;
        boolean fitted = pcaFrom == null;
        if (pcaFrom != null) {
            pca = Pca.Pair.read(pcaFrom);
        } else {
            pca = fit(features, ids, manifest.audio().dimension());
            pca.write(out.resolve(PCA_FILE));
        }
        if (pca.visual().outDim() != Yt8mReader.RGB_DIM || pca.audio().outDim() != Yt8mReader.AUDIO_DIM) {
            throw new InvalidDataException(pcaFrom, "maps to " + pca.visual().outDim() + " and " + pca.audio().outDim()
                    + " dimensions; YouTube-8M's are " + Yt8mReader.RGB_DIM + " and " + Yt8mReader.AUDIO_DIM);
        }
        writeManifest(features, out, fitted ? out.resolve(PCA_FILE) : pcaFrom);
        int shards = 0;
        for (int from = 0; from < ids.size(); from += clipsPerShard) {
            Path shard = out.resolve(String.format(Locale.ROOT, "train-%04d.tfrecord", shards++));
            try (TfRecordWriter w = new TfRecordWriter(shard)) {
                for (String id : ids.subList(from, Math.min(ids.size(), from + clipsPerShard))) {
                    w.write(record(features, id, labels.getOrDefault(id, new long[0]), pca).encodeSequenceExample());
                }
            }
        }
        return new Result(ids.size(), shards, fitted, fitted ? out.resolve(PCA_FILE) : pcaFrom);
    }

    private static NpyArray read(Path features, String dir, String id, int dim) throws IOException {
        Path f = features.resolve(dir).resolve(id + ".npy");
        NpyArray a = Npy.read(f);
        if (a.shape().length != 2 || a.shape()[1] != dim) {
            throw new InvalidDataException(f, "has shape " + java.util.Arrays.toString(a.shape()) + "; expected [seconds, "
                    + dim + "]");
        }
        return a;
    }

    private static Pca.Pair fit(Path features, List<String> ids, int ad) throws IOException {
        int vd = -1;
        // reservoir of at most PCA_ROWS seconds over all clips
        Random random = new Random(17);
        List<float[]> v = new ArrayList<>();
        List<float[]> a = new ArrayList<>();
        long seen = 0;
        for (String id : ids) {
            NpyArray va = Npy.read(features.resolve(PairedDataset.VIDEO_DIR).resolve(id + ".npy"));
            vd = va.shape()[1];
            NpyArray aa = read(features, PairedDataset.AUDIO_DIR, id, ad);
            int s = va.shape()[0];
            for (int t = 0; t < s; t++) {
                float[] vr = java.util.Arrays.copyOfRange(va.floats(), t * vd, (t + 1) * vd);
                float[] ar = java.util.Arrays.copyOfRange(aa.floats(), t * ad, (t + 1) * ad);
                seen++;
                if (v.size() < PCA_ROWS) {
                    v.add(vr);
                    a.add(ar);
                } else {
                    long j = (long) (random.nextDouble() * seen);
                    if (j < PCA_ROWS) {
                        v.set((int) j, vr);
                        a.set((int) j, ar);
                    }
                }
            }
        }
        if (vd < Yt8mReader.RGB_DIM) {
            throw new InvalidDataException(features, "has " + vd + "-d visual features; YouTube-8M's rgb needs at least "
                    + Yt8mReader.RGB_DIM);
        }
        return new Pca.Pair(Pca.fit(flatten(v, vd), v.size(), vd, Yt8mReader.RGB_DIM),
                Pca.fit(flatten(a, ad), a.size(), ad, Yt8mReader.AUDIO_DIM));
    }

    private static float[] flatten(List<float[]> rows, int dim) {
        float[] out = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * dim, dim);
        }
        return out;
    }

    private static TfExample record(Path features, String id, long[] labels, Pca.Pair pca) throws IOException {
        NpyArray va = read(features, PairedDataset.VIDEO_DIR, id, pca.visual().inDim());
        NpyArray aa = read(features, PairedDataset.AUDIO_DIR, id, pca.audio().inDim());
        int s = va.shape()[0];
        if (aa.shape()[0] != s) {
            throw new InvalidDataException(features.resolve(PairedDataset.AUDIO_DIR).resolve(id + ".npy"), "has "
                    + aa.shape()[0] + " seconds; the video features have " + s);
        }
        float[] rgb = pca.visual().apply(va.floats(), s);
        float[] audio = pca.audio().apply(aa.floats(), s);
        List<TfFeature> rgbSteps = new ArrayList<>(s);
        List<TfFeature> audioSteps = new ArrayList<>(s);
        float[] meanRgb = new float[Yt8mReader.RGB_DIM];
        float[] meanAudio = new float[Yt8mReader.AUDIO_DIM];
        for (int t = 0; t < s; t++) {
            rgbSteps.add(new TfFeature.Bytes(List.of(quantizeRow(rgb, t, Yt8mReader.RGB_DIM, meanRgb, s))));
            audioSteps.add(new TfFeature.Bytes(List.of(quantizeRow(audio, t, Yt8mReader.AUDIO_DIM, meanAudio, s))));
        }
        Map<String, TfFeature> context = new LinkedHashMap<>();
        context.put("id", new TfFeature.Bytes(List.of(id.getBytes(StandardCharsets.UTF_8))));
        context.put("labels", new TfFeature.Int64s(labels));
        context.put("mean_rgb", new TfFeature.Floats(meanRgb));
        context.put("mean_audio", new TfFeature.Floats(meanAudio));
        return new TfExample(context, Map.of("rgb", rgbSteps, "audio", audioSteps));
    }

    /** Row {@code t} quantized; its values added to {@code mean} divided by {@code frames}. */
    private static byte[] quantizeRow(float[] x, int t, int dim, float[] mean, int frames) {
        byte[] q = new byte[dim];
        for (int d = 0; d < dim; d++) {
            float v = x[t * dim + d];
            q[d] = (byte) Yt8mReader.quantize(v);
            mean[d] += v / frames;
        }
        return q;
    }

    /** Copies the extraction manifest beside the shards, naming the PCA, so runs trained on them know their features. */
    static void writeManifest(Path features, Path out, Path pca) throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var m = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(features.resolve(ExtractJob.MANIFEST).toFile());
        m.remove("clips");
        m.remove("failed");
        var p = m.putObject("yt8m");
        p.put("pca", pca.getFileName().toString());
        p.put("pcaSha256", ModelFiles.sha256(Files.readAllBytes(pca)));
        AtomicFiles.writeString(out.resolve(ExtractJob.MANIFEST), json.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }
}
