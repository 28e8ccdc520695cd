package vidkit.data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes TFRecord framing and the protobuf decoders behind it. Properties: only the typed errors
 * escape ({@link InvalidDataException} subtypes from the reader, {@link ProtoException} from the
 * decoders); the in-memory reader and the streaming reader (a Spark executor's HDFS stream) agree
 * on every input — the same records at the same offsets, the same skips, the same error; YouTube-8M's
 * fast video-level decoder accepts exactly what the generic decoder accepts, with equal values.
 * Seeds: real YouTube-8M records ({@code scripts/fuzz} cuts them from {@code ../shared/data/yt8m}).
 */
class TfRecordFuzzTest {
    private static final Path NAME = Path.of("fuzzed.tfrecord");

    /** What one reader made of the bytes: records (offset and payload), skips, or the error. */
    private record Outcome(List<String> records, List<String> skipped, String error) {}

    private static Outcome read(TfRecordReader reader, List<String> skipped) {
        List<String> records = new ArrayList<>();
        try (reader) {
            for (byte[] p; (p = reader.next()) != null; ) {
                records.add(reader.recordOffset() + ":" + Arrays.hashCode(p) + ":" + p.length);
            }
            return new Outcome(records, skipped, null);
        } catch (TfRecordCorruptException e) {
            return new Outcome(records, skipped, e.getMessage());
        } catch (IOException e) {
            throw new AssertionError("untyped error from the reader", e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void framing(FuzzedDataProvider data) {
        boolean verify = data.consumeBoolean();
        boolean skip = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        List<String> skipsA = new ArrayList<>();
        List<String> skipsB = new ArrayList<>();
        Outcome inMemory = read(TfRecordReader.open(bytes, NAME, verify,
                skip ? (f, o, why) -> skipsA.add(o + ":" + why) : null), skipsA);
        Outcome streamed = read(TfRecordReader.open(new ByteArrayInputStream(bytes), NAME, verify,
                skip ? (f, o, why) -> skipsB.add(o + ":" + why) : null), skipsB);
        if (!inMemory.equals(streamed)) {
            throw new AssertionError("in-memory and streaming readers disagree:\n  " + inMemory + "\n  " + streamed);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void protobuf(FuzzedDataProvider data) {
        boolean sequence = data.consumeBoolean();
        int classes = data.consumeInt(1, 4000);
        byte[] payload = data.consumeRemainingAsBytes();
        try {
            TfExample ex = sequence ? TfExample.decodeSequenceExample(payload) : TfExample.decodeExample(payload);
            // what decodes re-encodes to bytes that decode to the same features: encode∘decode is a fixed point
            byte[] again = sequence ? ex.encodeSequenceExample() : ex.encodeExample();
            TfExample back = sequence ? TfExample.decodeSequenceExample(again) : TfExample.decodeExample(again);
            byte[] twice = sequence ? back.encodeSequenceExample() : back.encodeExample();
            if (!Arrays.equals(again, twice)) {
                throw new AssertionError("encode(decode(encode(decode(x)))) != encode(decode(x))");
            }
        } catch (ProtoException expected) {
            // typed
        }
        Yt8mReader.Options options = sequence ? Yt8mReader.Options.frameLevel(classes, 300).withThreads(1)
                : Yt8mReader.Options.videoLevel(classes).withThreads(1);
        Yt8mVideo generic = null;
        String genericError = null;
        try {
            generic = Yt8mReader.parseGeneric(NAME, 0, payload, 0, payload.length, options);
        } catch (InvalidRecordException e) {
            genericError = e.getMessage();
        }
        if (!sequence) {
            Yt8mVideo fast = VideoLevelDecoder.tryDecode(payload, 0, payload.length, classes);
            if (fast != null && (generic == null || !sameVideo(fast, generic))) {
                throw new AssertionError("the fast decoder accepted what the generic one "
                        + (generic == null ? "rejects (" + genericError + ")" : "decodes differently"));
            }
        }
    }

    private static boolean sameVideo(Yt8mVideo a, Yt8mVideo b) {
        return a.id().equals(b.id()) && Arrays.equals(a.labels(), b.labels()) && a.frames() == b.frames()
                && a.totalFrames() == b.totalFrames() && Arrays.equals(a.rgb(), b.rgb()) && Arrays.equals(a.audio(), b.audio());
    }
}
