package vidkit.matching;

/**
 * Training-time feature augmentation (on normalized features).
 *
 * @param noise standard deviation of Gaussian noise added to every feature (default 0.1; 0 = off)
 * @param timeShift roll each training clip, both modalities together, by a random offset in
 *     {@code [-timeShift, timeShift]} frames (circularly), keeping audio and video aligned (default 0)
 */
public record AugmentConfig(Double noise, Integer timeShift) {
    public AugmentConfig {
        noise = noise == null ? 0.1 : noise;
        timeShift = timeShift == null ? 0 : timeShift;
        if (noise < 0 || timeShift < 0) {
            throw new IllegalArgumentException("augment.noise and augment.timeShift must be >= 0");
        }
    }

    public static AugmentConfig defaults() {
        return new AugmentConfig(null, null);
    }
}
