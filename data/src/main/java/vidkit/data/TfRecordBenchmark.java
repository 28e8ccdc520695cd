package vidkit.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Read throughput of TFRecord shards: a plain sequential read of the files' bytes beside reading,
 * checksumming and parsing them into {@link Yt8mVideo}s, on one thread and on several (one shard
 * per thread). Each measurement is the median of {@code repeats} passes after a warm-up pass, so all
 * read from the page cache alike.
 */
public final class TfRecordBenchmark {
    private TfRecordBenchmark() {}

    /**
     * @param bytes total file bytes
     * @param records records parsed per pass
     * @param plainMegabytesPerSecond the plain read (1 thread)
     * @param parseMegabytesPerSecond read + verify + parse, 1 thread
     * @param parallelMegabytesPerSecond the same with {@code threads} threads
     */
    public record Result(long bytes, long records, int threads, double plainMegabytesPerSecond,
            double parseMegabytesPerSecond, double parseRecordsPerSecond, double parallelMegabytesPerSecond,
            double parallelRecordsPerSecond) {}

    public static Result run(List<Path> shards, Yt8mReader.Options options, int threads, int repeats) throws IOException {
        long bytes = 0;
        for (Path p : shards) {
            bytes += Files.size(p);
        }
        byte[] buf = new byte[1 << 20];
        double[] plain = new double[repeats];
        double[] parse = new double[repeats];
        double[] parallel = new double[repeats];
        long records = 0;
        for (int r = -1; r < repeats; r++) {
            long t0 = System.nanoTime();
            long sum = 0;
            for (Path p : shards) {
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sum += buf[n - 1]; // touch the data
                    }
                }
            }
            long t1 = System.nanoTime();
            records = Yt8mReader.read(shards, options.withThreads(1)).videos().size();
            long t2 = System.nanoTime();
            Yt8mReader.read(shards, options.withThreads(threads));
            long t3 = System.nanoTime();
            if (r >= 0) {
                plain[r] = (t1 - t0) / 1e9;
                parse[r] = (t2 - t1) / 1e9;
                parallel[r] = (t3 - t2) / 1e9;
            }
            if (sum == 42) {
                System.out.print(""); // keep the loop's reads observable
            }
        }
        double mb = bytes / 1e6;
        return new Result(bytes, records, threads, mb / median(plain), mb / median(parse), records / median(parse),
                mb / median(parallel), records / median(parallel));
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
