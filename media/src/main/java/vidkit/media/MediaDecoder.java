package vidkit.media;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes any file FFmpeg reads (bytedeco's build inside the jar: no system FFmpeg) into {@link
 * DecodedMedia}: one frame per second, taken at the centre of the second (the first decoded frame
 * at or after {@code s + 0.5} s, else the last one), and the audio resampled to 16 kHz mono.
 * Frames are scaled by FFmpeg so that the shorter side is {@value #SCALED} pixels, centre cropped
 * to 224 × 224 and rotated upright; variable frame rates need nothing special (timestamps decide).
 */
public final class MediaDecoder {
    /** Audio sample rate of every extractor. */
    public static final int SAMPLE_RATE = 16_000;
    /** The shorter side after scaling, before the centre crop (ImageNet's evaluation resize). */
    public static final int SCALED = 256;
    /** A file whose decoded video covers less than this share of the video's announced length is truncated. */
    static final double COVERED = 0.9;

    static {
        FFmpegLogCallback.setLevel(avutil.AV_LOG_ERROR);
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    }

    private final long maxPixels;
    private final int threads;

    /**
     * @param maxPixels the largest frame accepted (width × height); larger files are refused
     * @param threads FFmpeg's decoding threads for one file
     */
    public MediaDecoder(long maxPixels, int threads) {
        if (maxPixels < 1 || threads < 1) {
            throw new IllegalArgumentException("maxPixels and threads must be >= 1");
        }
        this.maxPixels = maxPixels;
        this.threads = threads;
    }

    public DecodedMedia decode(Path file, boolean allowSilent) throws MediaException {
        return decode(file, allowSilent, 0);
    }

    /**
     * Decodes at most the first {@code limitSeconds} seconds ({@code 0}: all): decoding stops once
     * they are read, so a long file costs only what is kept.
     */
    public DecodedMedia decode(Path file, boolean allowSilent, int limitSeconds) throws MediaException {
        try (FFmpegFrameGrabber g = open(file, true)) {
            if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
                throw new MediaException(file, MediaException.Reason.NO_VIDEO, "has no video stream");
            }
            int w = g.getImageWidth();
            int h = g.getImageHeight();
            if ((long) w * h > maxPixels) {
                throw new MediaException(file, MediaException.Reason.TOO_LARGE, "has " + w + " x " + h + " frames ("
                        + (long) w * h + " pixels); at most " + maxPixels + " are accepted");
            }
            boolean hasAudio = g.hasAudio() && g.getAudioChannels() > 0;
            if (!hasAudio && !allowSilent) {
                throw new MediaException(file, MediaException.Reason.NO_AUDIO, "has no audio stream (allow silent files "
                        + "to extract zeros for the audio)");
            }
            double duration = g.getLengthInTime() / 1e6;
            int rotation = ((int) Math.round(g.getDisplayRotation()) % 360 + 360) % 360; // clockwise, as the "rotate" tag
            double scale = (double) SCALED / Math.min(w, h);
            int sw = Math.max(ImageModel.SIZE, (int) Math.round(w * scale));
            int sh = Math.max(ImageModel.SIZE, (int) Math.round(h * scale));
            g.setImageWidth(sw);
            g.setImageHeight(sh);
            return read(file, g, duration, hasAudio, w, h, rotation, limitSeconds);
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(file, MediaException.Reason.NOT_MEDIA, "cannot be closed: " + e.getMessage());
        }
    }

    /**
     * The audio of any file FFmpeg reads (a sound file, or a video's sound track) as 16 kHz mono
     * floats in [-1, 1]; a file without an audio stream is {@code no_audio}.
     */
    public float[] decodeAudio(Path file) throws MediaException {
        try (FFmpegFrameGrabber g = open(file, false)) {
            if (!g.hasAudio() || g.getAudioChannels() <= 0) {
                throw new MediaException(file, MediaException.Reason.NO_AUDIO, "has no audio stream");
            }
            FloatBuffer audio = FloatBuffer.allocate(SAMPLE_RATE * 4);
            try {
                for (Frame f; (f = g.grabSamples()) != null; ) {
                    if (f.samples == null) {
                        continue;
                    }
                    audio = append(audio, (FloatBuffer) f.samples[0]);
                }
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new MediaException(file, MediaException.Reason.TRUNCATED, "breaks off while decoding: " + e.getMessage());
            }
            audio.flip();
            float[] out = new float[audio.remaining()];
            audio.get(out);
            return out;
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(file, MediaException.Reason.NOT_MEDIA, "cannot be closed: " + e.getMessage());
        }
    }

    private DecodedMedia read(Path file, FFmpegFrameGrabber g, double announced, boolean hasAudio, int w, int h,
            int rotation, int limit) throws MediaException {
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        FloatBuffer audio = FloatBuffer.allocate(SAMPLE_RATE * 16);
        byte[] last = null;
        double lastTime = -1;
        int wanted = 0; // the next second whose frame we look for
        boolean stoppedAtLimit = false;
        try {
            for (Frame f; (f = g.grab()) != null; ) {
                if (f.image != null && f.imageWidth > 0) {
                    double t = f.timestamp / 1e6;
                    if (t >= wanted + 0.5 || last == null) {
                        // only frames that are kept are copied out (the grabber reuses its buffer)
                        byte[] crop = cropUpright((ByteBuffer) f.image[0], f.imageWidth, f.imageHeight, f.imageStride,
                                rotation);
                        while (t >= wanted + 0.5) {
                            frames.add(crop);
                            wanted++;
                        }
                        last = crop; // a stream that ends early repeats its last kept frame
                    }
                    lastTime = t;
                }
                if (f.samples != null && hasAudio) {
                    audio = append(audio, (FloatBuffer) f.samples[0]);
                }
                if (limit > 0 && wanted >= limit && (!hasAudio || audio.position() >= limit * SAMPLE_RATE)) {
                    stoppedAtLimit = true;
                    break;
                }
            }
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new MediaException(file, MediaException.Reason.TRUNCATED, "breaks off while decoding after "
                    + String.format(java.util.Locale.ROOT, "%.1f", Math.max(0, lastTime)) + " s: " + e.getMessage());
        }
        if (last == null) {
            throw new MediaException(file, MediaException.Reason.NO_VIDEO, "has a video stream without a decodable frame");
        }
        double duration = announced > 0 ? announced : lastTime + 1.0 / Math.max(1, g.getFrameRate());
        int seconds = (int) Math.floor(duration + 1e-6);
        if (limit > 0) {
            seconds = Math.min(seconds, limit);
        }
        if (seconds < 1) {
            throw new MediaException(file, MediaException.Reason.TOO_SHORT, String.format(java.util.Locale.ROOT,
                    "lasts %.2f s; at least one second is needed", duration));
        }
        // truncation is judged on the video stream against its own announced length: a sound track that
        // ends early (or starts late) is legitimate and becomes silence; a stream cut short is not
        double coveredVideo = lastTime + 1.0 / Math.max(1, g.getFrameRate());
        double expectedVideo = g.getLengthInVideoFrames() > 0 && g.getFrameRate() > 0
                ? Math.min(duration, g.getLengthInVideoFrames() / g.getFrameRate()) : duration;
        if (!stoppedAtLimit && coveredVideo < COVERED * expectedVideo && expectedVideo - coveredVideo > 0.5) {
            throw new MediaException(file, MediaException.Reason.TRUNCATED, String.format(java.util.Locale.ROOT,
                    "announces %.1f s of video but its frames end at %.1f s", expectedVideo, coveredVideo));
        }
        while (frames.size() < seconds) {
            frames.add(last);
        }
        float[] samples = new float[seconds * SAMPLE_RATE];
        audio.flip();
        audio.get(samples, 0, Math.min(samples.length, audio.remaining()));
        return new DecodedMedia(seconds, frames.subList(0, seconds).toArray(byte[][]::new), samples, hasAudio, duration,
                w, h, rotation);
    }

    /** A started grabber that resamples audio to 16 kHz mono floats (and, with {@code video}, converts frames to RGB). */
    private FFmpegFrameGrabber open(Path file, boolean video) throws MediaException {
        if (!Files.isRegularFile(file)) {
            throw new MediaException(file, MediaException.Reason.NOT_MEDIA, "is not a file");
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setSampleRate(SAMPLE_RATE);
        g.setAudioChannels(1);
        g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
        if (video) {
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            g.setVideoOption("threads", Integer.toString(threads));
        }
        try {
            g.start();
            return g;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            try {
                g.close();
            } catch (FrameGrabber.Exception ignored) {
                // it did not open
            }
            throw new MediaException(file, MediaException.Reason.NOT_MEDIA, "cannot be opened as media: " + e.getMessage());
        }
    }

    /** {@code audio} with {@code samples} appended, grown (a new buffer) when full. */
    private static FloatBuffer append(FloatBuffer audio, FloatBuffer samples) {
        if (audio.remaining() < samples.remaining()) {
            FloatBuffer bigger = FloatBuffer.allocate(Math.max(audio.capacity() * 2, audio.position() + samples.remaining()));
            audio.flip();
            bigger.put(audio);
            audio = bigger;
        }
        return audio.put(samples);
    }

    /** The centre {@code 224 × 224} of a packed RGB image, rotated clockwise by {@code rotation} degrees. */
    static byte[] cropUpright(ByteBuffer image, int width, int height, int stride, int rotation) {
        int s = ImageModel.SIZE;
        int x0 = (width - s) / 2;
        int y0 = (height - s) / 2;
        byte[] crop = new byte[s * s * 3];
        for (int y = 0; y < s; y++) {
            image.get((y0 + y) * stride + x0 * 3, crop, y * s * 3, s * 3);
        }
        if (rotation == 0) {
            return crop;
        }
        byte[] out = new byte[s * s * 3];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                // output (x, y) shows source (sx, sy)
                int sx = switch (rotation) {
                    case 90 -> y;
                    case 180 -> s - 1 - x;
                    default -> s - 1 - y; // 270
                };
                int sy = switch (rotation) {
                    case 90 -> s - 1 - x;
                    case 180 -> s - 1 - y;
                    default -> x;
                };
                System.arraycopy(crop, (sy * s + sx) * 3, out, (y * s + x) * 3, 3);
            }
        }
        return out;
    }
}
