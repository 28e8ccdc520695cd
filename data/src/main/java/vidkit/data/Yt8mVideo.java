package vidkit.data;

/**
 * One YouTube-8M video: its id, labels and features. Video-level: {@code frames == 1} and the
 * features are {@code mean_rgb [1024]} and {@code mean_audio [128]}. Frame-level: the first {@code
 * frames} (≤ max frames) dequantized rows, {@code rgb [frames, 1024]} and {@code audio [frames,
 * 128]} row-major.
 *
 * @param id the video id ({@code id} or {@code video_id})
 * @param labels class indices, sorted, each below the vocabulary size
 * @param frames rows kept
 * @param totalFrames rows in the record before truncation to the max frames
 * @param rgb visual features
 * @param audio audio features
 */
public record Yt8mVideo(String id, int[] labels, int frames, int totalFrames, float[] rgb, float[] audio) {}
