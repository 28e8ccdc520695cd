package vidkit.serve;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, closed-loop load generator: {@code concurrency} threads, each with one keep-alive
 * HTTP/1.1 connection, sending its next request only when the previous one was answered, until
 * {@code requests} were sent in all. The first
 * {@code warmup} requests are not measured. Latency is measured per request, from just before the
 * send to the last byte of the body read.
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    /**
     * @param requests measured requests
     * @param seconds wall time of the measured part
     * @param statuses count per HTTP status (0 = no response: a connection error)
     */
    public record Result(int concurrency, long requests, double seconds, double requestsPerSecond, double p50Millis,
            double p90Millis, double p99Millis, double maxMillis, Map<Integer, Long> statuses) {
        public long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }
    }

    /** One request to send: POST when {@code body} is not null. */
    public record Request(URI uri, String contentType, byte[] body) {}

    /** Requests encoded once as HTTP/1.1 bytes, for several {@link #run(Workload, int, int, int)} calls. */
    public static final class Workload {
        private final List<Request> requests;
        private final byte[][] wire;
        private final javax.net.ssl.SSLSocketFactory tls;

        public Workload(List<Request> requests) {
            this(requests, null, null);
        }

        /**
         * @param authorization an {@code Authorization} header value sent with every request, or null
         * @param tls TLS sockets for {@code https} URIs (trusting the server's certificate), or null
         */
        public Workload(List<Request> requests, String authorization, javax.net.ssl.SSLSocketFactory tls) {
            if (requests.isEmpty()) {
                throw new IllegalArgumentException("need requests");
            }
            this.requests = List.copyOf(requests);
            this.tls = tls;
            this.wire = new byte[requests.size()][];
            for (int i = 0; i < wire.length; i++) {
                wire[i] = wire(requests.get(i), authorization);
            }
        }
    }

    public static Result run(List<Request> requests, int concurrency, int total, int warmup) throws IOException {
        return run(new Workload(requests), concurrency, total, warmup);
    }

    /** Sends {@code warmup + total} requests, cycling through {@code workload}'s, and measures the last {@code total}. */
    public static Result run(Workload workload, int concurrency, int total, int warmup) throws IOException {
        if (concurrency < 1 || total < 1 || warmup < 0) {
            throw new IllegalArgumentException("need concurrency >= 1, total >= 1 and warmup >= 0");
        }
        List<Request> requests = workload.requests;
        byte[][] wire = workload.wire;
        AtomicLong next = new AtomicLong();
        long[] latencies = new long[total];
        int[] statuses = new int[total];
        long[] measuredStart = {0};
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            threads[t] = new Thread(() -> {
                Client c = new Client(workload.tls);
                for (long i; (i = next.getAndIncrement()) < warmup + total; ) {
                    Request r = requests.get((int) (i % requests.size()));
                    if (i == warmup) {
                        synchronized (measuredStart) {
                            measuredStart[0] = System.nanoTime();
                        }
                    }
                    long t0 = System.nanoTime();
                    int status = c.send(r.uri(), wire[(int) (i % requests.size())]);
                    long dt = System.nanoTime() - t0;
                    if (i >= warmup) {
                        latencies[(int) (i - warmup)] = dt;
                        statuses[(int) (i - warmup)] = status;
                    }
                }
                c.close();
            }, "vidkit-load-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        long end = System.nanoTime();
        double seconds = (end - measuredStart[0]) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        Map<Integer, Long> counts = new TreeMap<>();
        for (int s : statuses) {
            counts.merge(s, 1L, Long::sum);
        }
        return new Result(concurrency, total, seconds, total / seconds, percentile(sorted, 0.50), percentile(sorted, 0.90),
                percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6, counts);
    }

    /** One interval of a soak: requests completed in it, their latency percentiles, statuses. */
    public record Interval(int index, double seconds, long requests, double requestsPerSecond, double p50Millis,
            double p99Millis, double maxMillis, Map<Integer, Long> statuses) {
        /** Answers other than 200 (0 = the connection failed). */
        public long errors() {
            return requests - statuses.getOrDefault(200, 0L);
        }
    }

    /** Told about each interval as it ends (on the calling thread, while the load goes on). */
    public interface IntervalListener {
        void ended(Interval interval) throws IOException;
    }

    /**
     * A soak: {@code concurrency} closed-loop clients send {@code workload}'s requests for {@code
     * seconds}, and every {@code intervalSeconds} the requests completed in that interval are
     * summarized and given to {@code listener} (which may, say, read the server's memory). Returns
     * every interval.
     */
    public static List<Interval> soak(Workload workload, int concurrency, double seconds, double intervalSeconds,
            IntervalListener listener) throws IOException {
        if (concurrency < 1 || seconds <= 0 || intervalSeconds <= 0) {
            throw new IllegalArgumentException("need concurrency >= 1 and positive durations");
        }
        int intervals = (int) Math.ceil(seconds / intervalSeconds);
        long intervalNanos = (long) (intervalSeconds * 1e9);
        long start = System.nanoTime();
        long end = start + intervals * intervalNanos;
        Completions[] completions = new Completions[concurrency];
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            int client = t;
            completions[t] = new Completions();
            threads[t] = new Thread(() -> {
                Client c = new Client(workload.tls);
                for (long n = client; ; n += concurrency) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    int r = (int) (n % workload.requests.size());
                    int status = c.send(workload.requests.get(r).uri(), workload.wire[r]);
                    long t1 = System.nanoTime();
                    completions[client].add(t1, t1 - t0, status);
                }
                c.close();
            }, "vidkit-soak-" + t);
            threads[t].start();
        }
        List<Interval> out = new ArrayList<>();
        try {
            for (int i = 0; i < intervals; i++) {
                long due = start + (i + 1) * intervalNanos;
                while (System.nanoTime() < due) {
                    Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
                }
                boolean last = i == intervals - 1;
                if (last) {
                    for (Thread t : threads) {
                        t.join(); // the last interval takes the requests in flight at the end
                    }
                }
                // the requests completed before the interval's end (one recorded a moment after a drain
                // counts in the next interval)
                java.util.stream.LongStream.Builder latencies = java.util.stream.LongStream.builder();
                Map<Integer, Long> byStatus = new TreeMap<>();
                for (Completions c : completions) {
                    c.drainBefore(last ? Long.MAX_VALUE : due, (latency, status) -> {
                        latencies.add(latency);
                        byStatus.merge(status, 1L, Long::sum);
                    });
                }
                long[] all = latencies.build().sorted().toArray();
                int n = all.length;
                Interval interval = new Interval(i + 1, intervalSeconds, n, n / intervalSeconds,
                        n == 0 ? Double.NaN : percentile(all, 0.50), n == 0 ? Double.NaN : percentile(all, 0.99),
                        n == 0 ? Double.NaN : all[n - 1] / 1e6, byStatus);
                out.add(interval);
                listener.ended(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            for (Thread t : threads) {
                t.interrupt();
            }
        }
        return out;
    }

    /** One client's completed requests in the order they completed: end time, latency (ns), status. */
    private static final class Completions {
        private long[] ends = new long[1024];
        private long[] latencies = new long[1024];
        private int[] statuses = new int[1024];
        private int size;

        interface Sink {
            void accept(long latency, int status);
        }

        synchronized void add(long endNanos, long latency, int status) {
            if (size == ends.length) {
                ends = Arrays.copyOf(ends, 2 * size);
                latencies = Arrays.copyOf(latencies, 2 * size);
                statuses = Arrays.copyOf(statuses, 2 * size);
            }
            ends[size] = endNanos;
            latencies[size] = latency;
            statuses[size++] = status;
        }

        /** Hands over, and forgets, the completions that ended before {@code due}. */
        synchronized void drainBefore(long due, Sink sink) {
            int k = 0;
            for (; k < size && ends[k] < due; k++) {
                sink.accept(latencies[k], statuses[k]);
            }
            System.arraycopy(ends, k, ends, 0, size - k);
            System.arraycopy(latencies, k, latencies, 0, size - k);
            System.arraycopy(statuses, k, statuses, 0, size - k);
            size -= k;
        }
    }

    /** One client's keep-alive connection, opened on demand and again after the server closed it or an error. */
    private static final class Client implements AutoCloseable {
        private final javax.net.ssl.SSLSocketFactory tls;
        private Connection c;

        Client(javax.net.ssl.SSLSocketFactory tls) {
            this.tls = tls;
        }

        /** Sends one request and reads its answer: the status, or 0 when the connection failed. */
        int send(URI uri, byte[] wire) {
            try {
                if (c == null) {
                    c = new Connection(uri, tls);
                }
                int status = c.exchange(wire);
                if (c.closed) {
                    close();
                }
                return status;
            } catch (IOException e) {
                close();
                return 0;
            }
        }

        @Override
        public void close() {
            if (c != null) {
                c.close();
                c = null;
            }
        }
    }

    /** The request as HTTP/1.1 bytes: request line, Host, Content-Type and Content-Length, body. */
    static byte[] wire(Request r, String authorization) {
        String target = r.uri().getRawPath() + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery());
        StringBuilder head = new StringBuilder().append(r.body() == null ? "GET " : "POST ").append(target)
                .append(" HTTP/1.1\r\nHost: ").append(r.uri().getHost()).append(':').append(r.uri().getPort()).append("\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (r.body() != null) {
            head.append("Content-Type: ").append(r.contentType()).append("\r\nContent-Length: ").append(r.body().length)
                    .append("\r\n");
        }
        byte[] h = head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] body = r.body() == null ? new byte[0] : r.body();
        byte[] out = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    /**
     * One keep-alive HTTP/1.1 connection over a plain socket: writes a request, reads the status line,
     * the headers and a {@code Content-Length} body (or a chunked one). Light enough that the load
     * generator takes little of the CPU it shares with the server on one machine.
     */
    static final class Connection implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;
        boolean closed;

        Connection(URI uri, javax.net.ssl.SSLSocketFactory tls) throws IOException {
            if ("https".equals(uri.getScheme())) {
                if (tls == null) {
                    throw new IOException(uri + ": an https URI needs a TLS socket factory");
                }
                socket = tls.createSocket(uri.getHost(), uri.getPort());
            } else {
                socket = new java.net.Socket(uri.getHost(), uri.getPort());
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        }

        /** Sends one request and reads its whole answer; the status. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closed = true;
                }
            }
            if (chunked) {
                for (long n; (n = Long.parseLong(line().split(";")[0].strip(), 16)) > 0; ) {
                    skip(n);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                closed = true; // body until the connection closes
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return code;
        }

        private void skip(long n) throws IOException {
            try {
                in.skipNBytes(n);
            } catch (java.io.EOFException e) {
                throw new IOException("connection closed inside a body", e);
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket we are done with
            }
        }
    }

    /** The nearest-rank percentile, in milliseconds: the smallest value with at least {@code p} of all at or below it. */
    static double percentile(long[] sortedNanos, double p) {
        int rank = (int) Math.ceil(p * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    /** {@code /v1/match} bodies: each clip's video features as a float32 .npy ({@code Content-Type: application/x-npy}). */
    public static List<Request> matchRequestsNpy(URI base, vidkit.data.FeatureSet videos, int k, int max) {
        List<Request> out = new ArrayList<>();
        int per = videos.frames() * videos.dim();
        for (int c = 0; c < Math.min(max, videos.size()); c++) {
            out.add(matchRequestNpy(base, videos.frames(), videos.dim(),
                    java.util.Arrays.copyOfRange(videos.values(), c * per, (c + 1) * per), k));
        }
        return out;
    }

    /** One {@code /v1/match?k=k} request whose body is {@code features [frames, dim]} as a float32 .npy. */
    static Request matchRequestNpy(URI base, int frames, int dim, float[] features, int k) {
        return new Request(base.resolve("/v1/match?k=" + k), "application/x-npy", MalformedRequests.npy(frames, dim, features));
    }

    /** {@code /v1/match} bodies: each clip's video features as JSON ({@code {"features": [[...]], "k": k}}). */
    public static List<Request> matchRequests(URI base, vidkit.data.FeatureSet videos, int k, int max) {
        List<Request> out = new ArrayList<>();
        int per = videos.frames() * videos.dim();
        for (int c = 0; c < Math.min(max, videos.size()); c++) {
            out.add(matchRequest(base, videos.frames(), videos.dim(),
                    java.util.Arrays.copyOfRange(videos.values(), c * per, (c + 1) * per), k));
        }
        return out;
    }

    /** One {@code /v1/match} request with a JSON body {@code {"k": k, "features": [[...], ...]}} of {@code features [frames, dim]}. */
    static Request matchRequest(URI base, int frames, int dim, float[] features, int k) {
        StringBuilder b = new StringBuilder(frames * dim * 12).append("{\"k\":").append(k).append(",\"features\":[");
        for (int t = 0; t < frames; t++) {
            b.append(t == 0 ? "[" : ",[");
            for (int d = 0; d < dim; d++) {
                if (d > 0) {
                    b.append(',');
                }
                b.append(features[t * dim + d]);
            }
            b.append(']');
        }
        b.append("]}");
        return new Request(base.resolve("/v1/match"), "application/json", b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
