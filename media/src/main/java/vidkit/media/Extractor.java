package vidkit.media;

import java.nio.file.Path;

/**
 * One file → per-second features: {@code video [seconds, visual dimension]} from the frame at the
 * centre of each second, {@code audio [seconds, 128]} log-mel statistics of the second (zeros for
 * a silent file, when allowed). Thread-safe: the models are shared, each call decodes on its own.
 */
public final class Extractor {
    /** Name of the audio extractor, for manifests and runs. */
    public static final String AUDIO = "logmel-64x2";

    private final MediaDecoder decoder;
    private final ImageModel visual;
    private final boolean allowSilent;
    private final int seconds;

    /**
     * @param allowSilent a file without audio gets zero audio features (else it is refused)
     * @param seconds every clip's length: its first {@code seconds} seconds, a shorter file refused
     *     ({@code 0}: each file's whole length). The paired layout needs one length for all clips.
     */
    public Extractor(MediaDecoder decoder, ImageModel visual, boolean allowSilent, int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be >= 0, got " + seconds);
        }
        this.decoder = decoder;
        this.visual = visual;
        this.allowSilent = allowSilent;
        this.seconds = seconds;
    }

    public ImageModel visual() {
        return visual;
    }

    /** The visual extractor as a manifest names it. */
    public ExtractManifest.Model visualModel() {
        return new ExtractManifest.Model(visual.name(), visual.sha256(), visual.dimension(),
                visual.preprocessing().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The audio extractor as a manifest names it. */
    public static ExtractManifest.Model audioModel() {
        return new ExtractManifest.Model(AUDIO, null, LogMelFeatures.DIMENSION, null);
    }

    /** One file's features and what was found in it. */
    public record Features(int seconds, float[] video, float[] audio, DecodedMedia media, float[] logits) {}

    public Features extract(Path file) throws MediaException {
        DecodedMedia m = decoder.decode(file, allowSilent);
        if (seconds > 0) {
            if (m.seconds() < seconds) {
                throw new MediaException(file, MediaException.Reason.TOO_SHORT, "lasts " + m.seconds() + " whole seconds; "
                        + seconds + " are asked for");
            }
            m = new DecodedMedia(seconds, java.util.Arrays.copyOf(m.frames(), seconds), java.util.Arrays.copyOf(m.audio(),
                    seconds * MediaDecoder.SAMPLE_RATE), m.hasAudio(), m.durationSeconds(), m.width(), m.height(), m.rotation());
        }
        ImageModel.Output v = visual.run(m.frames());
        float[] a = m.hasAudio() ? LogMelFeatures.of(m.audio(), m.seconds()) : new float[m.seconds() * LogMelFeatures.DIMENSION];
        return new Features(m.seconds(), v.features(), a, m, v.logits());
    }
}
