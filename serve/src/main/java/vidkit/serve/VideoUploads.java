package vidkit.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import vidkit.media.ExtractManifest;
import vidkit.media.Extractor;
import vidkit.media.ImageModel;
import vidkit.media.MediaDecoder;
import vidkit.media.MediaException;

/**
 * Uploaded video files, extracted in the server exactly as {@code vidkit extract} does (the
 * bundled MobileNetV2, log-mel statistics; a file without sound gets zero audio features), for
 * the runs that were trained on such features: a run's provenance names the extractor of its
 * data, and a run trained on other features is refused (the answer would be meaningless). The
 * extractor is loaded at the first upload; the body goes to a temporary file that is deleted
 * after decoding.
 */
final class VideoUploads implements AutoCloseable {
    private final long maxPixels;
    private Extractor extractor;
    private ImageModel visual;

    VideoUploads(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** Per-second features of one upload: {@code video [seconds, 1280]}, {@code audio [seconds, 128]}. */
    record Features(int seconds, float[] video, float[] audio) {}

    private synchronized Extractor extractor() {
        if (extractor == null) {
            visual = ImageModel.mobileNetV2(1);
            extractor = new Extractor(new MediaDecoder(maxPixels, 1), visual, true, 0);
        }
        return extractor;
    }

    /**
     * Why {@code run} cannot take uploads (its data was not extracted by this extractor), or
     * {@code null} when it can.
     */
    static String mismatch(Path run) throws IOException {
        RunDirectory r = RunDirectory.open(run);
        if (!Files.exists(r.provenance())) {
            return "run " + run + " records no provenance";
        }
        JsonNode fe = Json.MAPPER.readTree(r.provenance().toFile()).get("featureExtractor");
        if (fe == null || fe.isNull()) {
            return "run " + run + " was trained on features that vidkit extract did not make; send features";
        }
        if (fe.has("yt8m")) {
            return "run " + run + " was trained on YouTube-8M-format features (PCA'd and quantized); the server extracts "
                    + "uploads in the paired layout only";
        }
        ExtractManifest.Model audio = Extractor.audioModel();
        String sha = fe.at("/visual/sha256").asText("");
        if (!sha.equals(ImageModel.MOBILENET_SHA256) || fe.at("/visual/dimension").asInt() != 1280
                || !fe.at("/audio/name").asText("").equals(audio.name())
                || fe.at("/audio/dimension").asInt() != audio.dimension()) {
            return "run " + run + " was trained on features of other extractors (" + fe.get("visual") + ", "
                    + fe.get("audio") + "); this server extracts MobileNetV2 " + ImageModel.MOBILENET_SHA256.substring(0, 12)
                    + "… and " + audio.name();
        }
        return null;
    }

    /** Extracts an uploaded file's bytes. */
    Features extract(byte[] body) throws ServiceException, IOException {
        Path tmp = Files.createTempFile("vidkit-upload", ".media");
        try {
            Files.write(tmp, body);
            Extractor.Features f = extractor().extract(tmp);
            return new Features(f.seconds(), f.video(), f.audio());
        } catch (MediaException e) {
            String why = e.getMessage().replace(tmp.toString(), "the upload");
            throw new ServiceException(ServiceException.Reason.BAD_INPUT, "bad_media", null,
                    why + " (" + e.reason().name().toLowerCase(Locale.ROOT) + ")");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public synchronized void close() {
        if (visual != null) {
            visual.close();
        }
    }
}
