package vidkit.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * The structured access log: one JSON object per line and request, {@code {"id":17,"time":"…",
 * "remote":"127.0.0.1","method":"POST","route":"/v1/match","status":200,"bytes":812,"ms":3.41}} —
 * the route, never the raw path or the body (ids and features stay out of the log). The {@code id}
 * is the {@code X-Request-Id} header of the answer. Lines are written whole and flushed one by one.
 */
final class AccessLog implements AutoCloseable {
    private final PrintStream out;
    private final boolean owned;

    private AccessLog(PrintStream out, boolean owned) {
        this.out = out;
        this.owned = owned;
    }

    /** A log appending to {@code spec} ({@code -}: stderr), or null for none. */
    static AccessLog open(String spec) throws IOException {
        if (spec == null) {
            return null;
        }
        if (spec.equals("-")) {
            return new AccessLog(System.err, false);
        }
        Path file = Path.of(spec);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        OutputStream s = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new AccessLog(new PrintStream(s, false, StandardCharsets.UTF_8), true);
    }

    void log(long id, InetSocketAddress remote, String method, String route, int status, long bytes, double millis) {
        String line = String.format(Locale.ROOT, "{\"id\":%d,\"time\":\"%s\",\"remote\":\"%s\",\"method\":\"%s\","
                + "\"route\":\"%s\",\"status\":%d,\"bytes\":%d,\"ms\":%.2f}", id, Instant.now(),
                remote == null ? "" : remote.getAddress().getHostAddress(), plain(method), plain(route), status, bytes,
                millis);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Methods and route names are ours or the client's token; anything but plain characters is replaced. */
    private static String plain(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 32 && c < 127 && c != '"' && c != '\\' ? c : '_');
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (owned) {
            out.close();
        }
    }
}
