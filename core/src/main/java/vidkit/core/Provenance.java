package vidkit.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
 * @param parentRuns the runs this one builds on ({@code init}, {@code teacher}); empty when none
 * @param featureExtractor when the data was made by {@code vidkit extract}: its manifest's
 *     extractors (tool, version, fps, sample rate, the visual model with its SHA-256 and
 *     dimension, the audio extractor), else {@code null}; a server compares it with its own
 *     extractor before it extracts uploaded media for this run
 */
public record Provenance(String vidkitVersion, String gitCommit, long seed, String data, String dataFingerprint,
        String java, String engine, int threads, String createdAt, String command, List<ParentRun> parentRuns,
        com.fasterxml.jackson.databind.JsonNode featureExtractor) {
    public Provenance {
        parentRuns = parentRuns == null ? List.of() : List.copyOf(parentRuns);
    }

    /**
     * A run this one was built from.
     *
     * @param role {@code init} (a block of the model was started from it), {@code teacher}, or
     *     {@code member} (one of the models a blend combines)
     * @param run its directory (absolute)
     * @param checkpoint the checkpoint file that was read
     * @param block the block taken ({@code init}), else {@code null}
     * @param into the new model's block it started ({@code init}), else {@code null}
     * @param gitCommit the parent's own recorded commit, where its provenance says
     */
    public record ParentRun(String role, String run, String checkpoint, String block, String into, String gitCommit) {}

    public static Provenance capture(long seed, Path data, String fingerprint, String command,
            List<ParentRun> parents) throws IOException {
        var engine = ai.djl.engine.Engine.getInstance();
        return new Provenance(version(), currentGitCommit(), seed, data.toAbsolutePath().normalize().toString(), fingerprint,
                Runtime.version().toString(), engine.getEngineName() + " " + engine.getVersion(),
                Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()),
                Instant.now().toString(), command, parents, featureExtractor(data));
    }

    /** Keys of an extraction manifest that name its extractors (its clips are left out). */
    private static final List<String> EXTRACTOR_KEYS = List.of("extractor", "vidkitVersion", "fps", "sampleRate", "visual",
            "audio", "yt8m");

    /**
     * The extractors named by the {@code manifest.json} of {@code data} (a directory, or the
     * directory of a file or glob), or {@code null} when there is none.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode featureExtractor(Path data) throws IOException {
        Path dir = Files.isDirectory(data) ? data : data.toAbsolutePath().getParent();
        Path manifest = dir == null ? null : dir.resolve(vidkit.data.PairedDataset.MANIFEST_FILE);
        if (manifest == null || !Files.isRegularFile(manifest)) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode m = Json.MAPPER.readTree(manifest.toFile());
            if (m == null || !m.has("visual") || !m.has("audio")) {
                return null; // some other manifest.json
            }
            com.fasterxml.jackson.databind.node.ObjectNode out = Json.MAPPER.createObjectNode();
            for (String k : EXTRACTOR_KEYS) {
                if (m.has(k)) {
                    out.set(k, m.get(k));
                }
            }
            return out;
        } catch (IOException e) {
            throw new vidkit.data.InvalidDataException(manifest, "is not a readable extraction manifest: " + e.getMessage());
        }
    }

    /** The vidkit version from the build. */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("/vidkit/core/version.properties")) {
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
    public static String currentGitCommit() {
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
