package vidkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The video-level fast path agrees with the generic decoder, and hands every unusual record back to it. */
class VideoLevelDecoderTest {
    private static final int CLASSES = Vocabulary.YT8M_CLASSES;

    @Test
    void everyRealRecordDecodesOnTheFastPathToWhatTheGenericPathGives() throws IOException {
        Path dir = TestFiles.sharedData().resolve("yt8m/video-level");
        var options = Yt8mReader.Options.videoLevel(CLASSES);
        int records = 0;
        for (Path shard : Shards.resolve(dir.resolve("validate0*.tfrecord").toString())) {
            try (TfRecordReader r = TfRecordReader.open(shard)) {
                while (r.advance()) {
                    Yt8mVideo fast = VideoLevelDecoder.tryDecode(r.buffer(), r.payloadOffset(), r.length(), CLASSES);
                    assertNotNull(fast, shard + " @" + r.recordOffset() + " left the fast path");
                    Yt8mVideo generic = Yt8mReader.parseGeneric(shard, r.recordOffset(), r.buffer(), r.payloadOffset(),
                            r.length(), options);
                    assertSame(generic, fast);
                    records++;
                }
            }
        }
        assertTrue(records > 1000, "records read: " + records);
    }

    @Test
    void unusualRecordsFallBackToTheGenericPath() throws InvalidRecordException {
        byte[] plain = TfRecordTest.videoLevel("id", "a", new long[] {5, 2}, 1024).encodeExample();
        Yt8mVideo v = VideoLevelDecoder.tryDecode(plain, 0, plain.length, CLASSES);
        assertNotNull(v);
        assertArrayEquals(new int[] {2, 5}, v.labels()); // sorted, as the generic path does
        assertEquals("a", v.id());

        // a label beyond the vocabulary, a wrong length, a missing key: the generic path explains them
        byte[] outside = TfRecordTest.videoLevel("id", "a", new long[] {5, 9}, 1024).encodeExample();
        assertNull(VideoLevelDecoder.tryDecode(outside, 0, outside.length, 9));
        byte[] shortRgb = TfRecordTest.videoLevel("id", "a", new long[] {1}, 1000).encodeExample();
        assertNull(VideoLevelDecoder.tryDecode(shortRgb, 0, shortRgb.length, CLASSES));
        Map<String, TfFeature> noLabels = features("id", "b");
        noLabels.remove("labels");
        byte[] missing = new TfExample(noLabels, Map.of()).encodeExample();
        assertNull(VideoLevelDecoder.tryDecode(missing, 0, missing.length, CLASSES));

        // NaN anywhere in either list
        for (String key : List.of("mean_rgb", "mean_audio")) {
            Map<String, TfFeature> f = features("id", "c");
            float[] values = ((TfFeature.Floats) f.get(key)).values().clone();
            values[values.length - 3] = Float.NaN;
            f.put(key, new TfFeature.Floats(values));
            byte[] nan = new TfExample(f, Map.of()).encodeExample();
            assertNull(VideoLevelDecoder.tryDecode(nan, 0, nan.length, CLASSES), key);
        }

        // both ids: 'id' wins on both paths; extra keys are ignored on both
        Map<String, TfFeature> both = features("video_id", "vid");
        both.put("id", new TfFeature.Bytes(List.of("main".getBytes(StandardCharsets.UTF_8))));
        both.put("segment_scores", new TfFeature.Floats(new float[] {0.5f}));
        byte[] twoIds = new TfExample(both, Map.of()).encodeExample();
        assertEquals("main", VideoLevelDecoder.tryDecode(twoIds, 0, twoIds.length, CLASSES).id());

        // an empty bytes_list under 'labels' leaves the fast path; the reader still gives a video without labels
        Map<String, TfFeature> unlabelled = features("id", "d");
        unlabelled.put("labels", new TfFeature.Bytes(List.of()));
        byte[] none = new TfExample(unlabelled, Map.of()).encodeExample();
        assertNull(VideoLevelDecoder.tryDecode(none, 0, none.length, CLASSES));
        assertEquals(0, Yt8mReader.parse(Path.of("none"), 0, none, 0, none.length, Yt8mReader.Options.videoLevel(CLASSES))
                .labels().length);
        // an empty int64_list stays on the fast path
        unlabelled.put("labels", new TfFeature.Int64s(new long[0]));
        byte[] empty = new TfExample(unlabelled, Map.of()).encodeExample();
        assertEquals(0, VideoLevelDecoder.tryDecode(empty, 0, empty.length, CLASSES).labels().length);

        // a record inside a larger buffer (as the reader hands them over)
        byte[] padded = new byte[plain.length + 7];
        System.arraycopy(plain, 0, padded, 3, plain.length);
        assertSame(v, VideoLevelDecoder.tryDecode(padded, 3, plain.length, CLASSES));
        // truncation never escapes as an exception
        for (int cut = 0; cut < plain.length; cut += 97) {
            VideoLevelDecoder.tryDecode(plain, 0, cut, CLASSES);
        }
    }

    @Test
    void copyFiniteCopiesLittleEndianFloatsAndFindsEveryNonFiniteValue() {
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 7, 8, 9, 31, 64, 128, 1024, 1027}) {
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (float) random.nextGaussian() * 1e3f;
            }
            byte[] bytes = littleEndian(expected, 5);
            float[] out = new float[n];
            assertTrue(VideoLevelDecoder.copyFinite(bytes, 5, out));
            assertArrayEquals(expected, out, 0f);
            for (int at = 0; at < n; at += Math.max(1, n / 9)) {
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    float[] withBad = expected.clone();
                    withBad[at] = bad;
                    assertFalse(VideoLevelDecoder.copyFinite(littleEndian(withBad, 5), 5, new float[n]), n + " @" + at);
                    assertFalse(Yt8mReader.allFinite(withBad));
                }
            }
            assertTrue(Yt8mReader.allFinite(expected));
        }
        float[] edges = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f};
        assertTrue(VideoLevelDecoder.copyFinite(littleEndian(edges, 0), 0, new float[4]));
    }

    private static Map<String, TfFeature> features(String idKey, String id) {
        return new LinkedHashMap<>(TfRecordTest.videoLevel(idKey, id, new long[] {1, 3}, Yt8mReader.RGB_DIM).features());
    }

    private static byte[] littleEndian(float[] values, int pad) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(pad + 4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(pad);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Same video: id, labels, frames and every value. */
    private static void assertSame(Yt8mVideo expected, Yt8mVideo actual) {
        assertEquals(expected.id(), actual.id());
        assertArrayEquals(expected.labels(), actual.labels());
        assertEquals(expected.frames(), actual.frames());
        assertEquals(expected.totalFrames(), actual.totalFrames());
        assertArrayEquals(expected.rgb(), actual.rgb(), 0f);
        assertArrayEquals(expected.audio(), actual.audio(), 0f);
    }
}
