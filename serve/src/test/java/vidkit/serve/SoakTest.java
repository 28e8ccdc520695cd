package vidkit.serve;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import vidkit.data.FeatureSet;

/**
 * A short soak (the 10-minute one is {@code vidkit load --duration 600}, by hand): closed-loop
 * clients for three intervals over real sockets; every request answered, every interval
 * summarized, and {@code /metrics} reports the process's resident memory and its heap after the
 * last garbage collection (what the soak watches for leaks).
 */
class SoakTest {
    @Test
    void intervalsAreSummarizedWithoutErrorsAndMetricsReportMemory() throws Exception {
        ServeFixture fixture = ServeFixture.get();
        try (Server s = Server.start(fixture.config("warmupQueries=100"))) {
            List<LoadGenerator.Request> requests = LoadGenerator.matchRequests(s.baseUri(),
                    FeatureSet.load(fixture.data.resolve("vfeat")), 5, 50);
            List<Long> seen = new java.util.ArrayList<>();
            List<LoadGenerator.Interval> intervals = LoadGenerator.soak(new LoadGenerator.Workload(requests), 4, 6, 2,
                    iv -> seen.add(iv.requests()));
            assertEquals(3, intervals.size());
            assertEquals(intervals.stream().map(LoadGenerator.Interval::requests).toList(), seen,
                    "the listener saw every interval as it ended");
            for (LoadGenerator.Interval iv : intervals) {
                assertTrue(iv.requests() > 0, "interval " + iv.index() + " served requests");
                assertEquals(0, iv.errors(), iv.statuses().toString());
                assertTrue(iv.p50Millis() <= iv.p99Millis() && iv.p99Millis() <= iv.maxMillis());
            }
            long served = intervals.stream().mapToLong(LoadGenerator.Interval::requests).sum();
            assertEquals(served, s.metrics().count(200), "every soak request was counted once by the server");
            System.gc();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.baseUri() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(value(metrics, "process_resident_memory_bytes") > 50L << 20, metrics);
            assertTrue(value(metrics, "jvm_gc_collections_total") >= 1, metrics);
            long heap = value(metrics, "jvm_heap_after_gc_bytes");
            assertTrue(heap > 0 && heap < Runtime.getRuntime().maxMemory(), "heap after GC " + heap);
            System.out.printf("soak test: %d requests in 3 × 2 s (%s); RSS %d MB, heap after GC %d MB%n", served,
                    intervals.stream().map(i -> String.format("%.0f/s p99 %.1f ms", i.requestsPerSecond(), i.p99Millis()))
                            .toList(), value(metrics, "process_resident_memory_bytes") >> 20, heap >> 20);
        }
    }

    static long value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).strip());
            }
        }
        throw new AssertionError(name + " missing from /metrics");
    }
}
