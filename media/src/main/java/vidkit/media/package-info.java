/**
 * Raw media in. {@link vidkit.media.MediaDecoder} decodes any file FFmpeg reads (JavaCV and
 * bytedeco's FFmpeg from Maven Central) into one frame per second and 16 kHz mono audio;
 * {@link vidkit.media.ImageModel} turns frames into visual features (the bundled MobileNetV2 on ONNX
 * Runtime, 1280-d, or a user's ONNX model), an {@link vidkit.media.AudioModel} turns each second
 * of audio into features ({@link vidkit.media.YamNet}, rebuilt from its TFLite weights, 1024-d, the
 * default; {@link vidkit.media.LogMelFeatures}, 128-d); {@link vidkit.media.Extractor} does one file and
 * {@link vidkit.media.ExtractJob} a whole set in parallel into the paired layout every vidkit
 * command reads, with a manifest ({@link vidkit.media.ExtractManifest}) naming the extractors and
 * their checksums; {@link vidkit.media.Yt8mExport} writes YouTube-8M frame-level shards.
 */
package vidkit.media;
