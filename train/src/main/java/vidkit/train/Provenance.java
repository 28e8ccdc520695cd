package vidkit.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where a run came from: enough to reproduce it.
 *
 * @param vidkitVersion the build's version
 * @param gitCommit the commit of the vidkit checkout ({@code "unknown"} outside one), with
 *     {@code "-dirty"} when it had uncommitted changes
 * @param seed the run's seed
 * @param data the dataset directory (absolute)
 * @param dataFingerprint SHA-256 over the dataset's files
 * @param java the Java runtime version
 * @param engine the deep-learning engine and version
 * @param threads PyTorch intra-op threads
 * @param createdAt when the run started (UTC)
 * @param command the command line
 */
public record Provenance(String vidkitVersion, String gitCommit, long seed, String data, String dataFingerprint,
        String java, String engine, int threads, String createdAt, String command) {

    public static Provenance capture(long seed, Path data, String fingerprint, String command) {
        var engine = ai.djl.engine.Engine.getInstance();
        return new Provenance(version(), currentGitCommit(), seed, data.toAbsolutePath().normalize().toString(), fingerprint,
                Runtime.version().toString(), engine.getEngineName() + " " + engine.getVersion(),
                Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()),
                Instant.now().toString(), command);
    }

    /** The vidkit version from the build. */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("/vidkit/train/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** HEAD of the checkout at {@code $VIDKIT_ROOT} (or the working directory), or "unknown". */
    static String currentGitCommit() {
        String root = System.getenv().getOrDefault("VIDKIT_ROOT", ".");
        if (!Files.isDirectory(Path.of(root))) {
            return "unknown";
        }
        String head = run(root, "git", "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String status = run(root, "git", "status", "--porcelain");
        return head.strip() + (status != null && !status.isBlank() ? "-dirty" : "");
    }

    private static String run(String dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(Path.of(dir).toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
