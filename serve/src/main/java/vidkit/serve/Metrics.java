package vidkit.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters in the Prometheus text exposition format (version 0.0.4): requests by route
 * and status, a latency histogram per route, requests refused for saturation, and requests in
 * flight.
 */
public final class Metrics {
    /** Histogram bucket upper bounds, seconds. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();

    Metrics() {
        HeapAfterGc.install();
    }

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    /** Records a finished request. {@code route} is the route pattern (bounded cardinality), not the raw path. */
    void record(String route, String method, int status, double seconds) {
        requests.computeIfAbsent(route + '\u0000' + method + '\u0000' + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).observe(seconds);
    }

    void rejected() {
        rejected.increment();
    }

    long enter() {
        return inFlight.incrementAndGet();
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    /** The total of requests answered with {@code status} (any route). */
    long count(int status) {
        long n = 0;
        for (var e : requests.entrySet()) {
            if (e.getKey().endsWith("\u0000" + status)) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    /** The exposition text. */
    String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP vidkit_requests_total Requests answered, by route, method and status.\n");
        b.append("# TYPE vidkit_requests_total counter\n");
        for (var e : new TreeMap<>(requests).entrySet()) {
            String[] k = e.getKey().split("\u0000");
            b.append("vidkit_requests_total{route=\"").append(escape(k[0])).append("\",method=\"").append(k[1])
                    .append("\",status=\"").append(k[2]).append("\"} ").append(e.getValue().sum()).append('\n');
        }
        b.append("# HELP vidkit_request_duration_seconds Time from a request's arrival at the handler to its answer.\n");
        b.append("# TYPE vidkit_request_duration_seconds histogram\n");
        for (var e : new TreeMap<>(latency).entrySet()) {
            Histogram h = e.getValue();
            String route = escape(e.getKey());
            for (int i = 0; i < BUCKETS.length; i++) {
                b.append("vidkit_request_duration_seconds_bucket{route=\"").append(route).append("\",le=\"")
                        .append(format(BUCKETS[i])).append("\"} ").append(h.counts[i].sum()).append('\n');
            }
            b.append("vidkit_request_duration_seconds_bucket{route=\"").append(route).append("\",le=\"+Inf\"} ")
                    .append(h.count.sum()).append('\n');
            b.append("vidkit_request_duration_seconds_sum{route=\"").append(route).append("\"} ")
                    .append(format(h.sum.sum())).append('\n');
            b.append("vidkit_request_duration_seconds_count{route=\"").append(route).append("\"} ")
                    .append(h.count.sum()).append('\n');
        }
        b.append("# HELP vidkit_requests_rejected_total Requests refused with 503 because the server was saturated.\n");
        b.append("# TYPE vidkit_requests_rejected_total counter\n");
        b.append("vidkit_requests_rejected_total ").append(rejected.sum()).append('\n');
        b.append("# HELP vidkit_requests_in_flight Requests being handled now.\n");
        b.append("# TYPE vidkit_requests_in_flight gauge\n");
        b.append("vidkit_requests_in_flight ").append(inFlight.get()).append('\n');
        long rss = residentBytes();
        if (rss >= 0) {
            b.append("# HELP process_resident_memory_bytes Resident memory of the server process (VmRSS).\n");
            b.append("# TYPE process_resident_memory_bytes gauge\n");
            b.append("process_resident_memory_bytes ").append(rss).append('\n');
        }
        b.append("# HELP jvm_heap_after_gc_bytes Java heap in use right after the last garbage collection (-1 before the first).\n");
        b.append("# TYPE jvm_heap_after_gc_bytes gauge\n");
        b.append("jvm_heap_after_gc_bytes ").append(HeapAfterGc.bytes()).append('\n');
        b.append("# HELP jvm_gc_collections_total Garbage collections so far, all collectors.\n");
        b.append("# TYPE jvm_gc_collections_total counter\n");
        b.append("jvm_gc_collections_total ").append(HeapAfterGc.collections()).append('\n');
        return b.toString();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** This process's resident memory from {@code /proc/self/status} (Linux), or -1 elsewhere. */
    static long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * The heap in use after the last collection, from the JVM's GC notifications (every collector,
     * young ones included, summed over the heap's pools): the figure that shows a leak, unlike the
     * heap in use at a random moment.
     */
    static final class HeapAfterGc {
        private static final AtomicLong BYTES = new AtomicLong(-1);
        private static final AtomicLong COLLECTIONS = new AtomicLong();

        static {
            java.util.List<String> heapPools = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                    .map(java.lang.management.MemoryPoolMXBean::getName).toList();
            for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, handback) -> {
                        if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                                .equals(n.getType())) {
                            return;
                        }
                        var info = com.sun.management.GarbageCollectionNotificationInfo
                                .from((javax.management.openmbean.CompositeData) n.getUserData());
                        long used = 0;
                        for (String pool : heapPools) {
                            var after = info.getGcInfo().getMemoryUsageAfterGc().get(pool);
                            if (after != null) {
                                used += after.getUsed();
                            }
                        }
                        BYTES.set(used);
                        COLLECTIONS.incrementAndGet();
                    }, null, null);
                }
            }
        }

        static long bytes() {
            return BYTES.get();
        }

        static long collections() {
            return COLLECTIONS.get();
        }

        /** Starts listening (the class's initialization); the server calls it at start. */
        static void install() {}
    }
}
