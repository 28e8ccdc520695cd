package vidkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordTest {
    @TempDir
    Path dir;

    static TfExample videoLevel(String idKey, String id, long[] labels, int rgbDim) {
        Map<String, TfFeature> f = new LinkedHashMap<>();
        f.put(idKey, new TfFeature.Bytes(List.of(id.getBytes(StandardCharsets.UTF_8))));
        f.put("labels", new TfFeature.Int64s(labels));
        float[] rgb = new float[rgbDim];
        for (int i = 0; i < rgbDim; i++) {
            rgb[i] = i * 0.001f - 0.5f;
        }
        f.put("mean_rgb", new TfFeature.Floats(rgb));
        f.put("mean_audio", new TfFeature.Floats(new float[Yt8mReader.AUDIO_DIM]));
        return new TfExample(f, Map.of());
    }

    static TfExample frameLevel(String id, long[] labels, int frames, int rgbBytes) {
        Map<String, TfFeature> ctx = new LinkedHashMap<>();
        ctx.put("id", new TfFeature.Bytes(List.of(id.getBytes(StandardCharsets.UTF_8))));
        ctx.put("labels", new TfFeature.Int64s(labels));
        List<TfFeature> rgb = new ArrayList<>();
        List<TfFeature> audio = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            byte[] r = new byte[rgbBytes];
            byte[] a = new byte[Yt8mReader.AUDIO_DIM];
            for (int i = 0; i < r.length; i++) {
                r[i] = (byte) (t + i);
            }
            a[0] = (byte) 255;
            rgb.add(new TfFeature.Bytes(List.of(r)));
            audio.add(new TfFeature.Bytes(List.of(a)));
        }
        return new TfExample(ctx, Map.of("rgb", rgb, "audio", audio));
    }

    private Path write(String name, byte[]... payloads) throws IOException {
        Path p = dir.resolve(name);
        try (TfRecordWriter w = new TfRecordWriter(p)) {
            for (byte[] b : payloads) {
                w.write(b);
            }
        }
        return p;
    }

    @Test
    void examplesAndSequenceExamplesRoundTripThroughTheWriterAndReader() throws IOException {
        TfExample a = videoLevel("id", "abcd", new long[] {3, 1}, Yt8mReader.RGB_DIM);
        TfExample b = frameLevel("xyz", new long[] {7}, 4, Yt8mReader.RGB_DIM);
        Path p = write("mixed.tfrecord", a.encodeExample(), b.encodeSequenceExample());
        try (TfRecordReader r = TfRecordReader.open(p)) {
            TfExample a2 = TfExample.decodeExample(r.next());
            assertEquals(0, r.recordOffset());
            TfExample b2 = TfExample.decodeSequenceExample(r.next());
            assertNull(r.next());
            assertEquals(a.features().keySet(), a2.features().keySet());
            assertEquals(a.features().get("mean_rgb"), a2.features().get("mean_rgb"));
            assertEquals(a.features().get("labels"), a2.features().get("labels"));
            assertArrayEquals(((TfFeature.Bytes) b.featureLists().get("rgb").get(3)).values().get(0),
                    ((TfFeature.Bytes) b2.featureLists().get("rgb").get(3)).values().get(0));
        }
        List<Path> dirFiles = Files.list(dir).toList();
        assertEquals(List.of(p), dirFiles, "no temporary file is left beside the shard");
    }

    @Test
    void frameLevelSamplesDecodeToTheIndependentlyComputedValues() throws IOException {
        // values from tools/yt8m_fixture_values.py (an independent Python decoder), in tools/yt8m_fixture_values.txt
        Path root = TestFiles.sharedData().resolve("yt8m/frame-level-sample");
        var opts = Yt8mReader.Options.frameLevel(Vocabulary.YT8M_CLASSES, 300);
        Yt8mVideo s0 = Yt8mReader.read(List.of(root.resolve("sample-0.tfrecord")), opts).videos().get(0);
        assertEquals("D:/codeFile/pyFile/ve/test_data/v1.mp4", s0.id());
        assertArrayEquals(new int[] {1, 2}, s0.labels());
        assertEquals(184, s0.frames());
        assertEquals(184, s0.totalFrames());
        float[] expected = {-0.156893f, -0.188266f, 0.62742f, 0.12546f, -1.992188f};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], s0.rgb()[i], 1e-6);
        }
        assertEquals(Yt8mReader.dequantize(0), s0.audio()[0], 0);
        assertEquals(Yt8mReader.dequantize(154), s0.rgb()[183 * 1024], 0);
        // max frames: the first 100 kept, the true count remembered
        Yt8mVideo s1 = Yt8mReader.read(List.of(root.resolve("sample-1.tfrecord")),
                Yt8mReader.Options.frameLevel(Vocabulary.YT8M_CLASSES, 100)).videos().get(0);
        assertEquals(100, s1.frames());
        assertEquals(141, s1.totalFrames());
        assertEquals(100 * 1024, s1.rgb().length);
        assertEquals(0.407812f, s1.rgb()[0], 1e-6);
    }

    @Test
    void videoLevelShardsReadCompletelyWithVerifiedChecksums() throws IOException {
        List<Path> shards = Shards.resolve(TestFiles.sharedData().resolve("yt8m/video-level/validate*.tfrecord").toString());
        assertEquals(60, shards.size());
        Yt8mReader.Result r = Yt8mReader.read(shards, Yt8mReader.Options.videoLevel(Vocabulary.YT8M_CLASSES));
        assertEquals(17_499, r.videos().size());
        assertTrue(r.skipped().isEmpty());
        Yt8mVideo first = r.videos().get(0);
        assertEquals("02aa", first.id());
        assertArrayEquals(new int[] {3, 4, 9, 34}, first.labels());
        assertEquals(-0.781625f, first.rgb()[0], 1e-6);
        assertEquals(0.926714f, first.audio()[0], 1e-6);
    }

    @Test
    void corruptPayloadIsATypedErrorWithOffsetOrSkippedAndReported() throws IOException {
        byte[] one = videoLevel("id", "a", new long[] {1}, 1024).encodeExample();
        byte[] two = videoLevel("id", "b", new long[] {2}, 1024).encodeExample();
        Path p = write("bad.tfrecord", one, two, one);
        byte[] bytes = Files.readAllBytes(p);
        long secondOffset = 12 + one.length + 4;
        bytes[(int) secondOffset + 12 + 20] ^= 0x40; // a bit flip inside the second payload
        Files.write(p, bytes);
        var opts = Yt8mReader.Options.videoLevel(4000);
        TfRecordCorruptException e = assertThrows(TfRecordCorruptException.class, () -> Yt8mReader.read(List.of(p), opts));
        assertEquals(secondOffset, e.offset());
        assertTrue(e.getMessage().contains("bad.tfrecord") && e.getMessage().contains("payload checksum"), e.getMessage());
        Yt8mReader.Result r = Yt8mReader.read(List.of(p), opts.withSkipCorrupt(true));
        assertEquals(List.of("a", "a"), r.videos().stream().map(Yt8mVideo::id).toList());
        assertEquals(1, r.skipped().size());
        assertEquals(secondOffset, r.skipped().get(0).offset());
    }

    @Test
    void truncatedFileIsATypedErrorOrEndsTheShardWhenSkipping() throws IOException {
        byte[] one = videoLevel("id", "a", new long[] {1}, 1024).encodeExample();
        Path p = write("cut.tfrecord", one, one);
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        var opts = Yt8mReader.Options.videoLevel(4000);
        TfRecordCorruptException e = assertThrows(TfRecordCorruptException.class, () -> Yt8mReader.read(List.of(p), opts));
        assertEquals(12 + one.length + 4, e.offset());
        assertTrue(e.getMessage().contains("ends inside a record"), e.getMessage());
        Yt8mReader.Result r = Yt8mReader.read(List.of(p), opts.withSkipCorrupt(true));
        assertEquals(1, r.videos().size());
        assertEquals(1, r.skipped().size());
        // a garbage length: its checksum fails
        bytes[12 + one.length + 4] ^= 1;
        Files.write(p, bytes);
        e = assertThrows(TfRecordCorruptException.class, () -> Yt8mReader.read(List.of(p), opts));
        assertTrue(e.getMessage().contains("length checksum"), e.getMessage());
    }

    @Test
    void streamingAndWholeFileReadingAgreeOnRecordsOffsetsAndSkips() throws IOException {
        byte[] a = videoLevel("id", "a", new long[] {1}, 1024).encodeExample();
        byte[] b = frameLevel("b", new long[] {2}, 3, 1024).encodeSequenceExample();
        Path p = write("both.tfrecord", a, b, a, b);
        byte[] bytes = Files.readAllBytes(p);
        int third = 2 * 16 + a.length + b.length;
        bytes[third + 12 + 3] ^= 0x08; // corrupt the third payload
        Files.write(p, java.util.Arrays.copyOf(bytes, bytes.length - 2)); // and cut the last footer short
        byte[] cut = Files.readAllBytes(p);
        // 0: the file read whole; 1: the file streamed; 2: an InputStream (a Spark executor's HDFS file); 3: bytes
        for (int way = 0; way < 4; way++) {
            boolean stream = way > 0;
            List<String> log = new ArrayList<>();
            TfRecordReader.SkipLog sink = (f, o, why) -> log.add(o + ":" + why);
            List<Long> offsets = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            try (TfRecordReader r = switch (way) {
                case 0 -> TfRecordReader.open(p, true, sink);
                case 1 -> TfRecordReader.openStreaming(p, true, sink);
                case 2 -> TfRecordReader.open(new java.io.ByteArrayInputStream(cut), p, true, sink);
                default -> TfRecordReader.open(cut, p, true, sink);
            }) {
                while (r.advance()) {
                    offsets.add(r.recordOffset());
                    lengths.add(r.length());
                    assertEquals(r.buffer()[r.payloadOffset()], (r.length() == a.length ? a : b)[0]);
                }
            }
            assertEquals(List.of(0L, (long) 16 + a.length), offsets, "way " + way + ", stream " + stream);
            assertEquals(List.of(a.length, b.length), lengths);
            assertEquals(List.of(third + ":payload checksum mismatch",
                    (third + 16 + a.length) + ":file ends inside a record footer; the rest of the file is skipped"), log,
                    "way " + way);
        }
        // whole shards: from a stream and from bytes, the same videos and skips, named by the name given
        var opts = Yt8mReader.Options.frameLevel(4000, 10).withSkipCorrupt(true);
        Yt8mReader.Result fromFile = Yt8mReader.readShard(p, opts);
        Yt8mReader.Result fromStream = Yt8mReader.readShard(new java.io.ByteArrayInputStream(cut), Path.of("hdfs:/x/both"),
                opts);
        Yt8mReader.Result fromBytes = Yt8mReader.readShard(cut, p, opts);
        for (Yt8mReader.Result r : List.of(fromStream, fromBytes)) {
            assertEquals(fromFile.videos().stream().map(Yt8mVideo::id).toList(), r.videos().stream().map(Yt8mVideo::id).toList());
            assertEquals(fromFile.skipped().stream().map(Yt8mReader.Skipped::offset).toList(),
                    r.skipped().stream().map(Yt8mReader.Skipped::offset).toList());
        }
        assertEquals(Path.of("hdfs:/x/both"), fromStream.skipped().get(0).file());
        // without skipping, the first bad record (a video-level one, read at frame level) fails, named by the given name
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> Yt8mReader.readShard(
                new java.io.ByteArrayInputStream(cut), Path.of("hdfs:/x/both"), opts.withSkipCorrupt(false)));
        assertTrue(e.getMessage().startsWith("hdfs:/x/both: record at byte 0"), e.getMessage());
        TfRecordCorruptException framing = assertThrows(TfRecordCorruptException.class, () -> {
            try (TfRecordReader r = TfRecordReader.open(new java.io.ByteArrayInputStream(cut), Path.of("hdfs:/x/both"), true,
                    null)) {
                while (r.advance()) {
                    // read through to the corrupt third record
                }
            }
        });
        assertEquals(third, framing.offset());
        assertTrue(framing.getMessage().startsWith("hdfs:/x/both: at byte " + third), framing.getMessage());
    }

    @Test
    void readersOpenTogetherOnOneThreadDoNotShareTheirBuffer() throws IOException {
        byte[] small = videoLevel("id", "s", new long[] {1}, 8).encodeExample();
        byte[] large = videoLevel("id", "L", new long[] {2}, 4096).encodeExample();
        Path first = write("first.tfrecord", small, small);
        Path second = write("second.tfrecord", large, large, large);
        for (int round = 0; round < 2; round++) { // the second round reuses the thread's buffer
            try (TfRecordReader a = TfRecordReader.open(first)) {
                assertTrue(a.advance());
                try (TfRecordReader b = TfRecordReader.open(second)) {
                    int n = 0;
                    while (b.advance()) {
                        assertArrayEquals(large, java.util.Arrays.copyOfRange(b.buffer(), b.payloadOffset(), b.payloadOffset() + b.length()));
                        n++;
                    }
                    assertEquals(3, n);
                }
                assertArrayEquals(small, java.util.Arrays.copyOfRange(a.buffer(), a.payloadOffset(), a.payloadOffset() + a.length()));
                assertArrayEquals(small, a.next());
                assertNull(a.next());
            }
        }
    }

    @Test
    void badRecordsNameTheFileOffsetAndKey() throws IOException {
        var opts = Yt8mReader.Options.videoLevel(100);
        Map<String, TfFeature> noAudio = new LinkedHashMap<>(videoLevel("id", "a", new long[] {1}, 1024).features());
        noAudio.remove("mean_audio");
        assertKey("mean_audio", "missing", write("m.tfrecord", new TfExample(noAudio, Map.of()).encodeExample()), opts);
        assertKey("mean_rgb", "expected 1024 floats, got 1000",
                write("l.tfrecord", videoLevel("id", "a", new long[] {1}, 1000).encodeExample()), opts);
        assertKey("labels", "label 100 is outside the vocabulary",
                write("v.tfrecord", videoLevel("id", "a", new long[] {5, 100}, 1024).encodeExample()), opts);
        Map<String, TfFeature> noId = new LinkedHashMap<>(videoLevel("id", "a", new long[] {1}, 1024).features());
        noId.remove("id");
        assertKey("id", "neither 'id' nor 'video_id'", write("i.tfrecord", new TfExample(noId, Map.of()).encodeExample()), opts);
        assertKey("rgb", "expected 1024 bytes, got 1000", write("f.tfrecord", frameLevel("a", new long[] {1}, 3, 1000)
                .encodeSequenceExample()), Yt8mReader.Options.frameLevel(100, 300));
        assertKey(null, "not a Example", write("g.tfrecord", new byte[] {(byte) 0x0a, (byte) 0xff}), opts);
        Map<String, TfFeature> nan = new LinkedHashMap<>(videoLevel("id", "a", new long[] {1}, 1024).features());
        float[] audio = new float[Yt8mReader.AUDIO_DIM];
        audio[77] = Float.NaN;
        nan.put("mean_audio", new TfFeature.Floats(audio));
        assertKey("mean_audio", "non-finite value NaN", write("n.tfrecord", new TfExample(nan, Map.of()).encodeExample()), opts);
        assertTrue(Yt8mReader.allFinite(new float[] {0f, -3f, Float.MAX_VALUE, -Float.MIN_VALUE}));
        assertFalse(Yt8mReader.allFinite(new float[] {0f, Float.NEGATIVE_INFINITY}));
        // video_id is accepted in place of id
        Path alt = write("alt.tfrecord", videoLevel("video_id", "zz", new long[] {1}, 1024).encodeExample());
        assertEquals("zz", Yt8mReader.read(List.of(alt), opts).videos().get(0).id());
    }

    private static void assertKey(String key, String text, Path file, Yt8mReader.Options opts) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> Yt8mReader.read(List.of(file), opts));
        assertEquals(key, e.key());
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void shardSpecificationsResolveOrFailClearly() throws IOException {
        write("train-0.tfrecord", new byte[0]);
        write("train-1.tfrecord", new byte[0]);
        write("other.tfrecord", new byte[0]);
        assertEquals(2, Shards.resolve(dir.resolve("train-*.tfrecord").toString()).size());
        assertEquals(3, Shards.resolve(dir.toString()).size());
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Shards.resolve(dir.resolve("test*.tfrecord").toString()));
        assertTrue(e.getMessage().contains("no files match"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Yt8mReader.read(List.of(), Yt8mReader.Options.videoLevel(10)));
    }

    @Test
    void quantizationRoundTripsWithinHalfAStep() {
        for (int q = 0; q < 256; q++) {
            assertEquals(q, Yt8mReader.quantize(Yt8mReader.dequantize(q)));
        }
        assertEquals(-2f + 4f / 512f, Yt8mReader.dequantize(0), 1e-7);
    }
}
