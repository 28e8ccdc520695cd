package vidkit.media;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of an extraction directory: which extractors made the features (names,
 * model checksums, dimensions, frame rate, sample rate) and, per clip id, its source file and what
 * was found; files that failed are listed with their reason. A rerun into the same directory must
 * use the same extractors (else it is refused), and skips the clips already done.
 *
 * @param extractor {@code "vidkit extract"}
 * @param vidkitVersion the vidkit version that wrote it
 * @param fps frames per second taken (1)
 * @param sampleRate audio sample rate (16,000)
 * @param visual the visual model: name, SHA-256 of its file, dimension, preprocessing
 * @param audio the audio extractor's name and dimension
 * @param clips clip id → what was extracted
 * @param failed source file → why it failed (last attempt)
 */
public record ExtractManifest(String extractor, String vidkitVersion, int fps, int sampleRate, Model visual, Model audio,
        Map<String, Clip> clips, Map<String, Failure> failed) {
    public ExtractManifest {
        clips = clips == null ? new TreeMap<>() : new TreeMap<>(clips);
        failed = failed == null ? new TreeMap<>() : new TreeMap<>(failed);
    }

    /** An extractor: {@code sha256} of its model file ({@code null} when it has none). */
    public record Model(String name, String sha256, int dimension, String preprocessing) {}

    /** A clip: source file, seconds, and whether its audio is zeros because the file had none. */
    public record Clip(String source, int seconds, boolean silent, int width, int height, int rotation) {}

    /** A file that could not be extracted. */
    public record Failure(String reason, String message) {}

    /** Whether {@code other} was made by the same extractors (models, dimensions, rates). */
    public boolean sameExtractors(ExtractManifest other) {
        return fps == other.fps && sampleRate == other.sampleRate && visual.equals(other.visual)
                && audio.equals(other.audio);
    }
}
