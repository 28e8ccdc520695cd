package vidkit.data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Fuzzes a whole YouTube-8M shard read: the fuzzer's bytes become one to three record payloads in
 * correctly framed TFRecords (so the checksums pass and the decoders are reached), read with the
 * video-level or frame-level options, skipping or failing on bad records. Only {@link
 * InvalidDataException} subtypes escape; every video read has the declared shapes and labels in
 * range.
 */
class Yt8mReaderFuzzTest {
    private static final Path NAME = Path.of("fuzzed.tfrecord");

    static byte[] framed(byte[]... payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(p.length);
            h.putInt(TfRecordReader.masked(TfRecordReader.crc32c(h.array(), 0, 8)));
            out.writeBytes(h.array());
            out.writeBytes(p);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(TfRecordReader.masked(TfRecordReader.crc32c(p, 0, p.length))).array());
        }
        return out.toByteArray();
    }

    @FuzzTest(maxDuration = "15s")
    void shard(FuzzedDataProvider data) {
        boolean frameLevel = data.consumeBoolean();
        boolean skip = data.consumeBoolean();
        int classes = data.consumeInt(1, 4000);
        int maxFrames = data.consumeInt(1, 400);
        int records = data.consumeInt(1, 3);
        byte[][] payloads = new byte[records][];
        for (int i = 0; i < records - 1; i++) {
            payloads[i] = data.consumeBytes(data.consumeInt(0, 1 << 16));
        }
        payloads[records - 1] = data.consumeRemainingAsBytes();
        Yt8mReader.Options options = (frameLevel ? Yt8mReader.Options.frameLevel(classes, maxFrames)
                : Yt8mReader.Options.videoLevel(classes)).withThreads(1).withSkipCorrupt(skip);
        Yt8mReader.Result result;
        try {
            result = Yt8mReader.readShard(framed(payloads), NAME, options);
        } catch (InvalidDataException expected) {
            return;
        } catch (IOException e) {
            throw new AssertionError("untyped error", e);
        }
        if (result.videos().size() + result.skipped().size() != records) {
            throw new AssertionError(records + " records but " + result.videos().size() + " videos and "
                    + result.skipped().size() + " skipped");
        }
        for (Yt8mVideo v : result.videos()) {
            if (v.frames() < 1 || v.frames() > (frameLevel ? maxFrames : 1) || v.rgb().length != v.frames() * 1024
                    || v.audio().length != v.frames() * 128 || v.totalFrames() < v.frames()) {
                throw new AssertionError("inconsistent video " + v.id() + ": " + v.frames() + " frames");
            }
            for (int label : v.labels()) {
                if (label < 0 || label >= classes) {
                    throw new AssertionError("label " + label + " outside [0, " + classes + ")");
                }
            }
        }
    }
}
