package vidkit.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vidkit.core.Configs;
import vidkit.core.RunDirectory;
import vidkit.data.FeatureSet;
import vidkit.index.EmbeddingLibrary;
import vidkit.matching.MatchingConfig;
import vidkit.matching.TrainedMatcher;
import vidkit.media.ExtractJob;
import vidkit.media.Extractor;
import vidkit.media.ImageModel;
import vidkit.media.MediaDecoder;
import vidkit.media.MediaFixtures;
import vidkit.media.YamNet;
import vidkit.tagging.TaggingConfig;
import vidkit.train.Trainer;

/**
 * Video files uploaded to a server whose runs were trained on features of {@code vidkit extract}:
 * real clips (Debian's photographs and sounds) are extracted, a two-tower and a tagger trained on
 * them, and the server answers an uploaded file exactly as it answers the same clip by id; a run
 * trained on other features refuses uploads with 409; bad files are 400s naming the reason.
 */
class VideoUploadTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String[] H264 = {"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"};
    static Path root;
    static Path media;
    static Server server;

    @BeforeAll
    static void start() throws Exception {
        MediaFixtures.requireTools();
        root = Files.createTempDirectory("vidkit-upload-test");
        media = Files.createDirectories(root.resolve("media"));
        String[] photos = {"eagle.jpg", "dog.jpg", "kite.jpg", "horses.jpg", "giraffe.jpg", "person.jpg", "scream.jpg", "eagle.jpg"};
        String[] sounds = {"bell.oga", "phone-incoming-call.oga", "alarm-clock-elapsed.oga", "complete.oga"};
        StringBuilder labels = new StringBuilder("id,label,event,youtube_id\n");
        for (int i = 0; i < 8; i++) {
            MediaFixtures.clip(media.resolve("clip" + i + ".mp4"), photos[i], MediaFixtures.sound(sounds[i % 4]), 2, H264);
            labels.append("clip").append(i).append(',').append(i % 2).append(',').append(i % 2 == 0 ? "even" : "odd")
                    .append(",v").append(i).append('\n');
        }
        MediaFixtures.clip(root.resolve("short.mp4"), "dog.jpg", MediaFixtures.sound("bell.oga"), 1.2, H264);
        Path feats = root.resolve("feats");
        try (ImageModel mobileNet = ImageModel.mobileNetV2(1); YamNet yamnet = YamNet.load()) {
            ExtractJob.run(vidkit.data.Shards.resolve(media.toString(), "*"), feats,
                    new Extractor(new MediaDecoder(1L << 26, 1), mobileNet, yamnet, false, 2), "test", 2, n -> {},
                    new PrintStream(new ByteArrayOutputStream()));
        }
        Files.writeString(feats.resolve("labels.csv"), labels);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Path twoTower = Trainer.train(MatchingConfig.parse(Configs.readTree(null, List.of("data=" + feats,
                "model.type=twotower", "model.hidden=16", "model.embedding=8", "epochs=2", "batchSize=4",
                "split.validationFraction=0.5", "evaluation.draws=5", "evaluation.subsetSize=4", "evaluation.bootstrap=5")),
                Path.of("test")), Trainer.Options.of(root.resolve("runs"), "test", quiet)).run().path();
        Path tagger = Trainer.train(TaggingConfig.parse(Configs.readTree(null, List.of("type=tagging", "data=" + feats,
                "epochs=2", "batchSize=4", "model.hidden=16", "split.validationFraction=0.5")), Path.of("test")),
                Trainer.Options.of(root.resolve("runs"), "test", quiet)).run().path();
        Path audioLibrary = root.resolve("audio.vkemb");
        Path videoLibrary = root.resolve("video.vkemb");
        try (TrainedMatcher m = TrainedMatcher.load(RunDirectory.open(twoTower).inferenceCheckpoint())) {
            FeatureSet audio = FeatureSet.load(feats.resolve("afeat"));
            FeatureSet video = FeatureSet.load(feats.resolve("vfeat"));
            EmbeddingLibrary.write(audioLibrary, audio.ids(), m.embed(audio, false, false), m.embeddingDim());
            EmbeddingLibrary.write(videoLibrary, video.ids(), m.embed(video, true, false), m.embeddingDim());
        }
        server = Server.start(ServeConfig.load(null, List.of("run=" + twoTower, "library=" + audioLibrary,
                "videoLibrary=" + videoLibrary, "features=" + feats, "tagger=" + tagger, "port=0", "computeThreads=1",
                "warmupQueries=0")));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode post(URI base, String path, String type, byte[] body, int status) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static JsonNode post(String path, String type, byte[] body, int status) throws Exception {
        return post(server.baseUri(), path, type, body, status);
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUploadedVideoIsAnsweredLikeTheSameClipById() throws Exception {
        assertTrue(post("/v1/info", "application/json", json("{}"), 405).has("error"));
        byte[] file = Files.readAllBytes(media.resolve("clip3.mp4"));
        JsonNode byFile = post("/v1/match?k=5", "video/mp4", file, 200).get("hits");
        JsonNode byId = post("/v1/match", "application/json", json("{\"id\":\"clip3\",\"k\":5}"), 200).get("hits");
        assertEquals(5, byFile.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(byId.get(i).get("id").asText(), byFile.get(i).get("id").asText());
            assertEquals(byId.get(i).get("score").asDouble(), byFile.get(i).get("score").asDouble(), 1e-5);
        }
        JsonNode tagsByFile = post("/v1/tags?k=2", "video/mp4", file, 200).get("tags");
        JsonNode tagsById = post("/v1/tags", "application/json", json("{\"id\":\"clip3\",\"k\":2}"), 200).get("tags");
        assertEquals(tagsById.get(0).get("name").asText(), tagsByFile.get(0).get("name").asText());
        assertEquals(tagsById.get(0).get("score").asDouble(), tagsByFile.get(0).get("score").asDouble(), 1e-5);
        // the most similar video of the library is the clip itself
        JsonNode similar = post("/v1/similar?k=3", "video/webm", file, 200).get("hits");
        assertEquals("clip3", similar.get(0).get("id").asText());
        assertEquals(1.0, similar.get(0).get("score").asDouble(), 1e-4);
    }

    @Test
    void badFilesAreTypedErrors() throws Exception {
        JsonNode notMedia = post("/v1/match", "video/mp4", json("this is not a video"), 400);
        assertEquals("bad_media", notMedia.at("/error/type").asText());
        assertTrue(notMedia.at("/error/message").asText().contains("not_media"), notMedia.toString());
        assertFalse(notMedia.at("/error/message").asText().contains("vidkit-upload"), "no temporary paths leak");
        JsonNode tooShort = post("/v1/match", "video/mp4", Files.readAllBytes(root.resolve("short.mp4")), 400);
        assertEquals("too_short", tooShort.at("/error/type").asText());
        assertEquals("unsupported_media_type", post("/v1/similarity", "video/mp4", json("x"), 415).at("/error/type").asText());
    }

    /** A server whose run was trained on other features (the synthetic 24-d ones) refuses video files with 409. */
    @Test
    void aRunTrainedOnOtherFeaturesRefusesVideoFiles() throws Exception {
        ServeFixture fixture = ServeFixture.get();
        try (Server other = Server.start(fixture.config("warmupQueries=0"))) {
            byte[] file = Files.readAllBytes(media.resolve("clip1.mp4"));
            JsonNode r = post(other.baseUri(), "/v1/match", "video/mp4", file, 409);
            assertEquals("feature_mismatch", r.at("/error/type").asText());
            assertTrue(r.at("/error/message").asText().contains("vidkit extract"), r.toString());
            assertEquals("feature_mismatch", post(other.baseUri(), "/v1/tags", "video/mp4", file, 409).at("/error/type")
                    .asText());
        }
    }
}
