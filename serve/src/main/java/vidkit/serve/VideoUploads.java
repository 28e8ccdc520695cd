package vidkit.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import vidkit.core.Json;
import vidkit.core.RunDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vidkit.media.AudioModel;
import vidkit.media.ExtractManifest;
import vidkit.media.Extractor;
import vidkit.media.LogMelFeatures;
import vidkit.media.ImageModel;
import vidkit.media.MediaDecoder;
import vidkit.media.MediaException;

/**
 * Uploaded video files, extracted in the server exactly as {@code vidkit extract} does (the
 * bundled MobileNetV2, and the audio extractor the run was trained with: YAMNet or log-mel
 * statistics; a file without sound gets zero audio features), for
 * the runs that were trained on such features: a run's provenance names the extractor of its
 * data, and a run trained on other features is refused (the answer would be meaningless). The
 * extractor is loaded at the first upload; the body goes to a temporary file that is deleted
 * after decoding.
 */
public final class VideoUploads implements AutoCloseable {
    private final long maxPixels;
    private final Path models;
    private ImageModel visual;
    /** Extractors by the audio extractor's name: a matcher and a tagger may have been trained on different ones. */
    private final Map<String, Extractor> extractors = new HashMap<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** @param models the pretrained models' directory ({@code vidkit.media.ModelFiles}) */
    public VideoUploads(long maxPixels, Path models) {
        this.maxPixels = maxPixels;
        this.models = models;
    }

    /** Per-second features of one upload: {@code video [seconds, 1280]}, {@code audio [seconds, audio dimension]}. */
    public record Features(int seconds, float[] video, float[] audio) {}

    /** Whether a run takes uploads: {@code audio} names its audio extractor, else {@code refusal} says why not. */
    public record Check(String audio, String refusal) {
        static Check refuse(String why) {
            return new Check(null, why);
        }
    }

    private synchronized Extractor extractor(String audio) throws IOException {
        Extractor e = extractors.get(audio);
        if (e == null) {
            if (visual == null) {
                visual = ImageModel.mobileNetV2(models, 1);
                opened.add(visual);
            }
            AudioModel model = AudioModel.of(audio, models);
            if (model instanceof AutoCloseable c) {
                opened.add(c);
            }
            e = new Extractor(new MediaDecoder(maxPixels, 1), visual, model, true, 0);
            extractors.put(audio, e);
        }
        return e;
    }

    /** Whether {@code run} can take uploads: its data must have been extracted by vidkit's extractors. */
    public static Check check(Path run) throws IOException {
        RunDirectory r = RunDirectory.open(run);
        if (!Files.exists(r.provenance())) {
            return Check.refuse("run " + run + " records no provenance");
        }
        JsonNode fe = Json.MAPPER.readTree(r.provenance().toFile()).get("featureExtractor");
        if (fe == null || fe.isNull()) {
            return Check.refuse("run " + run + " was trained on features that vidkit extract did not make; send features");
        }
        if (fe.has("yt8m")) {
            return Check.refuse("run " + run + " was trained on YouTube-8M-format features (PCA'd and quantized); the "
                    + "server extracts uploads in the paired layout only");
        }
        String audio = fe.at("/audio/name").asText("");
        ExtractManifest.Model known = AudioModel.describe(audio);
        boolean sameAudio = known != null && fe.at("/audio/dimension").asInt() == known.dimension()
                && (known.sha256() == null || known.sha256().equals(fe.at("/audio/sha256").asText("")));
        if (!fe.at("/visual/sha256").asText("").equals(ImageModel.MOBILENET_SHA256)
                || fe.at("/visual/dimension").asInt() != 1280 || !sameAudio) {
            return Check.refuse("run " + run + " was trained on features of other extractors (" + fe.get("visual") + ", "
                    + fe.get("audio") + "); this server extracts with MobileNetV2 " + ImageModel.MOBILENET_SHA256.substring(0, 12)
                    + "… and yamnet, " + LogMelFeatures.NAME + " or openwakeword-speech");
        }
        return new Check(audio, null);
    }

    /** Extracts an uploaded file's bytes with the audio extractor named {@code audio}. */
    public Features extract(byte[] body, String audio) throws ServiceException, IOException {
        Path tmp = Files.createTempFile("vidkit-upload", ".media");
        try {
            Files.write(tmp, body);
            Extractor.Features f = extractor(audio).extract(tmp);
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
        for (AutoCloseable c : opened.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("vidkit serve: closing an extractor failed: " + e);
            }
        }
    }
}
