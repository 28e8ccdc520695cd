package vidkit.media;

import java.nio.file.Path;

/**
 * One file → per-second features: {@code video [seconds, visual dimension]} from the frame at the
 * centre of each second, {@code audio [seconds, audio dimension]} from the second's audio (YAMNet's
 * 1024-d embedding, or log-mel statistics; zeros for a silent file, when allowed). Thread-safe: the models are shared, each call decodes on its own.
 */
public final class Extractor {
    private final MediaDecoder decoder;
    private final ImageModel visual;
    private final AudioModel audio;
    private final boolean allowSilent;
    private final int seconds;

    /**
     * @param allowSilent a file without audio gets zero audio features (else it is refused)
     * @param seconds every clip's length: its first {@code seconds} seconds, a shorter file refused
     *     ({@code 0}: each file's whole length). The paired layout needs one length for all clips.
     */
    public Extractor(MediaDecoder decoder, ImageModel visual, AudioModel audio, boolean allowSilent, int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be >= 0, got " + seconds);
        }
        this.decoder = decoder;
        this.visual = visual;
        this.audio = audio;
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

    public AudioModel audio() {
        return audio;
    }

    /** The audio extractor as a manifest names it. */
    public ExtractManifest.Model audioModel() {
        return new ExtractManifest.Model(audio.name(), audio.sha256(), audio.dimension(), null);
    }

    /** One file's features and what was found in it. */
    public record Features(int seconds, float[] video, float[] audio, DecodedMedia media, float[] logits) {}

    public Features extract(Path file) throws MediaException {
        DecodedMedia m = decoder.decode(file, allowSilent, seconds);
        if (seconds > 0) {
            if (m.seconds() < seconds) {
                throw new MediaException(file, MediaException.Reason.TOO_SHORT, "lasts " + m.seconds() + " whole seconds; "
                        + seconds + " are asked for");
            }
            m = new DecodedMedia(seconds, java.util.Arrays.copyOf(m.frames(), seconds), java.util.Arrays.copyOf(m.audio(),
                    seconds * MediaDecoder.SAMPLE_RATE), m.hasAudio(), m.durationSeconds(), m.width(), m.height(), m.rotation());
        }
        ImageModel.Output v = visual.run(m.frames());
        float[] a = m.hasAudio() ? audio.features(m.audio(), m.seconds()) : new float[m.seconds() * audio.dimension()];
        return new Features(m.seconds(), v.features(), a, m, v.logits());
    }
}
