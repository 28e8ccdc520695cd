package vidkit.media;

/**
 * What {@link MediaDecoder} takes from one file at 1 fps: for each whole second {@code s}, the
 * frame shown at {@code s + 0.5} s, scaled (shorter side {@value MediaDecoder#SCALED}) and centre
 * cropped to {@code 224 × 224}, turned upright by the stream's display rotation, as RGB bytes
 * ({@code frames[s]}: {@code [224, 224, 3]}); and the audio as 16 kHz mono floats in [-1, 1]
 * ({@code audio}: {@code [seconds × 16000]}, zeros where the stream has none: a file without sound,
 * or a sound track that ends before the video). A video stream that ends before the container does
 * repeats its last frame.
 *
 * @param seconds whole seconds of the file (its duration, rounded down)
 * @param hasAudio whether the file has an audio stream
 * @param width stored frame width, before rotation
 * @param height stored frame height, before rotation
 * @param rotation display rotation in degrees (0, 90, 180, 270), applied to the frames
 */
public record DecodedMedia(int seconds, byte[][] frames, float[] audio, boolean hasAudio, double durationSeconds,
        int width, int height, int rotation) {}
