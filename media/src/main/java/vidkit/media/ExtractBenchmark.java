package vidkit.media;

import java.nio.file.Path;
import java.util.List;

/**
 * Extraction speed as seconds of media per second of wall time: decoding alone (the bound: what
 * {@link MediaDecoder} takes, frames scaled and cropped, audio resampled) beside the whole
 * extraction (decoding, MobileNetV2 on every second's frame, log-mel statistics), each file timed
 * on its second pass (the first warms up), one file at a time.
 */
public final class ExtractBenchmark {
    private ExtractBenchmark() {}

    /** One file's figures. */
    public record Row(Path file, double mediaSeconds, int width, int height, double decodeRealTime, double extractRealTime) {}

    public static List<Row> measure(List<Path> files, Extractor extractor, MediaDecoder decoder) throws MediaException {
        List<Row> rows = new java.util.ArrayList<>();
        for (Path f : files) {
            DecodedMedia m = null;
            double decode = Double.MAX_VALUE;
            double extract = Double.MAX_VALUE;
            for (int pass = 0; pass < 2; pass++) {
                long t0 = System.nanoTime();
                m = decoder.decode(f, true);
                long t1 = System.nanoTime();
                extractor.extract(f);
                long t2 = System.nanoTime();
                if (pass == 1) {
                    decode = (t1 - t0) / 1e9;
                    extract = (t2 - t1) / 1e9;
                }
            }
            rows.add(new Row(f, m.durationSeconds(), m.width(), m.height(), m.durationSeconds() / decode,
                    m.durationSeconds() / extract));
        }
        return rows;
    }
}
