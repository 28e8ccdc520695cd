package vidkit.similarity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import vidkit.data.Split;
import vidkit.data.TfExample;
import vidkit.data.TfFeature;
import vidkit.data.TfRecordWriter;
import vidkit.data.Yt8mReader;

/**
 * Small YouTube-8M-format data for the task's tests: video-level shards written by vidkit's own
 * writer (each video's features a noisy sum of its labels' prototypes) and a pairs directory made by
 * the reference definition on a seeded split.
 */
final class SimilarityData {
    private SimilarityData() {}

    /** Topic words of the first classes, for the titles. */
    static final String[] TOPICS = {"cooking", "football", "guitar", "cars", "dogs", "piano", "skiing", "painting",
        "dancing", "fishing", "chess", "surfing", "baking", "boxing", "gardening", "cycling"};

    static Path write(Path dir, int videos, int classes, long seed) throws Exception {
        return write(dir, videos, classes, seed, 1.0);
    }

    /**
     * As {@link #write(Path, int, int, long)}, the label prototypes scaled by {@code signal} (0: the
     * features are noise and say nothing of the labels). Also writes {@code titles.csv}: each video
     * titled by its labels' topic words (classes ≤ 16), e.g. "a clip of dogs and surfing".
     */
    static Path write(Path dir, int videos, int classes, long seed, double signal) throws Exception {
        Random r = new Random(seed);
        Map<String, String> titles = new LinkedHashMap<>();
        String[] openings = {"a clip of", "my video about", "best of", "watch:"};
        Random titleRandom = new Random(seed + 17); // apart from r, so the features do not depend on the titles
        float[][] rgbProto = new float[classes][Yt8mReader.RGB_DIM];
        float[][] audioProto = new float[classes][Yt8mReader.AUDIO_DIM];
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < Yt8mReader.RGB_DIM; d++) {
                rgbProto[c][d] = (float) r.nextGaussian();
            }
            for (int d = 0; d < Yt8mReader.AUDIO_DIM; d++) {
                audioProto[c][d] = (float) r.nextGaussian();
            }
        }
        Path shards = Files.createDirectories(dir.resolve("shards"));
        List<String> ids = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        try (TfRecordWriter w = new TfRecordWriter(shards.resolve("train-0.tfrecord"))) {
            for (int v = 0; v < videos; v++) {
                int[] l = r.nextBoolean() ? new int[] {r.nextInt(classes)} : new int[] {r.nextInt(classes), r.nextInt(classes)};
                l = java.util.Arrays.stream(l).distinct().toArray();
                float[] rgb = new float[Yt8mReader.RGB_DIM];
                float[] audio = new float[Yt8mReader.AUDIO_DIM];
                for (int d = 0; d < rgb.length; d++) {
                    rgb[d] = (float) (0.5 * r.nextGaussian());
                }
                for (int d = 0; d < audio.length; d++) {
                    audio[d] = (float) (0.5 * r.nextGaussian());
                }
                for (int c : l) {
                    for (int d = 0; d < rgb.length; d++) {
                        rgb[d] += (float) (signal * rgbProto[c][d]);
                    }
                    for (int d = 0; d < audio.length; d++) {
                        audio[d] += (float) (signal * audioProto[c][d]);
                    }
                }
                String id = String.format("v%04d", v);
                Map<String, TfFeature> f = new LinkedHashMap<>();
                f.put("id", new TfFeature.Bytes(List.of(id.getBytes(StandardCharsets.UTF_8))));
                f.put("labels", new TfFeature.Int64s(java.util.Arrays.stream(l).asLongStream().toArray()));
                f.put("mean_rgb", new TfFeature.Floats(rgb));
                f.put("mean_audio", new TfFeature.Floats(audio));
                w.write(new TfExample(f, Map.of()).encodeExample());
                ids.add(id);
                labels.add(l);
                if (classes <= TOPICS.length) {
                    StringBuilder t = new StringBuilder(openings[titleRandom.nextInt(openings.length)]);
                    for (int i = 0; i < l.length; i++) {
                        t.append(i == 0 ? " " : " and ").append(TOPICS[l[i]]);
                    }
                    titles.put(id, t.toString());
                }
            }
        }
        if (!titles.isEmpty()) {
            TitlesFile.write(dir.resolve("titles.csv"), titles);
        }
        String[] vertical = new String[3862];
        for (int c = 0; c < vertical.length; c++) {
            vertical[c] = "V" + (c % 3);
        }
        writePairs(dir, ids, labels, vertical, seed);
        return dir;
    }

    /**
     * {@code dir/pairs}: the first 4/5 of the videos for training, the rest for validation, and 2
     * training pairs and 1/2 validation pair a video drawn by the reference definition.
     */
    private static void writePairs(Path dir, List<String> ids, List<int[]> labels, String[] vertical, long seed)
            throws Exception {
        Path pairs = dir.resolve("pairs");
        int videos = ids.size();
        int cut = videos * 4 / 5;
        new Split(ids.subList(0, cut), ids.subList(cut, videos)).write(pairs.resolve("split"));
        double[] idf = ReferencePairs.idf(labels.subList(0, cut), 3862);
        PairsFile.write(pairs.resolve("train-pairs.csv"), ReferencePairs.draw(ids.subList(0, cut), labels.subList(0, cut),
                videos * 2, idf, vertical, new Random(seed)));
        PairsFile.write(pairs.resolve("validation-pairs.csv"), ReferencePairs.draw(ids.subList(cut, videos),
                labels.subList(cut, videos), videos / 2, idf, vertical, new Random(seed + 1)));
    }

    /**
     * Frame-level shards ({@code frames/train-0.tfrecord}, SequenceExamples of quantized bytes as
     * YouTube-8M stores them: 3 to 12 frames a video, each frame noise plus its labels' prototypes
     * on a few frames only) and a pairs directory, as {@link #write(Path, int, int, long)} does.
     */
    static Path writeFrameLevel(Path dir, int videos, int classes, long seed) throws Exception {
        Random r = new Random(seed);
        Path shards = Files.createDirectories(dir.resolve("frames"));
        List<String> ids = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        try (TfRecordWriter w = new TfRecordWriter(shards.resolve("train-0.tfrecord"))) {
            for (int v = 0; v < videos; v++) {
                int[] l = r.nextBoolean() ? new int[] {r.nextInt(classes)} : new int[] {r.nextInt(classes), r.nextInt(classes)};
                l = java.util.Arrays.stream(l).distinct().toArray();
                int frames = 3 + r.nextInt(10);
                List<TfFeature> rgb = new ArrayList<>();
                List<TfFeature> audio = new ArrayList<>();
                for (int t = 0; t < frames; t++) {
                    byte[] q = new byte[Yt8mReader.RGB_DIM];
                    byte[] a = new byte[Yt8mReader.AUDIO_DIM];
                    for (int k = 0; k < q.length; k++) {
                        q[k] = (byte) (108 + r.nextInt(40));
                    }
                    for (int k = 0; k < a.length; k++) {
                        a[k] = (byte) (108 + r.nextInt(40));
                    }
                    if (t % 2 == 0) { // the label shows in every other frame
                        for (int c : l) {
                            for (int k = 0; k < 8; k++) {
                                q[c * 8 + k] = (byte) 230;
                            }
                            for (int k = 0; k < 4; k++) {
                                a[c * 4 + k] = (byte) 230;
                            }
                        }
                    }
                    rgb.add(new TfFeature.Bytes(List.of(q)));
                    audio.add(new TfFeature.Bytes(List.of(a)));
                }
                String id = String.format("f%04d", v);
                Map<String, TfFeature> ctx = new LinkedHashMap<>();
                ctx.put("id", new TfFeature.Bytes(List.of(id.getBytes(StandardCharsets.UTF_8))));
                ctx.put("labels", new TfFeature.Int64s(java.util.Arrays.stream(l).asLongStream().toArray()));
                w.write(new TfExample(ctx, Map.of("rgb", rgb, "audio", audio)).encodeSequenceExample());
                ids.add(id);
                labels.add(l);
            }
        }
        String[] vertical = new String[3862];
        java.util.Arrays.fill(vertical, "");
        writePairs(dir, ids, labels, vertical, seed);
        return dir;
    }
}
