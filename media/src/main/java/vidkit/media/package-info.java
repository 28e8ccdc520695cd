/**
 * Raw media in. {@link vidkit.media.MediaDecoder} decodes any file FFmpeg reads (JavaCV and
 * bytedeco's FFmpeg from Maven Central) into one frame per second and 16 kHz mono audio;
 * {@link vidkit.media.ImageModel} turns frames into visual features (the bundled MobileNetV2 on ONNX
 * Runtime, 1280-d, or a user's ONNX model), {@link vidkit.media.LogMelFeatures} turns audio into
 * per-second log-mel statistics (128-d); {@link vidkit.media.Extractor} does one file and
 * {@link vidkit.media.ExtractJob} a whole set in parallel into the paired layout every vidkit
 * command reads, with a manifest ({@link vidkit.media.ExtractManifest}) naming the extractors and
 * their checksums.
 */
package vidkit.media;
