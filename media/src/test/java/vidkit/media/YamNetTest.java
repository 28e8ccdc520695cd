package vidkit.media;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAMNet rebuilt from its TFLite weights, on real recorded sounds and speech. */
class YamNetTest {
    @TempDir static Path dir;
    static YamNet yamnet;
    static MediaDecoder decoder = new MediaDecoder(1L << 26, 1);

    @BeforeAll
    static void load() throws Exception {
        MediaFixtures.requireTools();
        yamnet = YamNet.load();
    }

    @AfterAll
    static void close() {
        yamnet.close();
    }

    /** The mean class scores of a clip's seconds, and the top classes. */
    static List<Integer> top(String sound, double seconds, int k) throws Exception {
        Path clip = MediaFixtures.clip(dir.resolve(Path.of(sound).getFileName() + ".mp4"), "kite.jpg", sound, seconds,
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "192k");
        DecodedMedia m = decoder.decode(clip, false);
        YamNet.Output o = yamnet.run(m.audio(), m.seconds());
        double[] mean = new double[YamNet.CLASSES];
        for (int s = 0; s < m.seconds(); s++) {
            for (int c = 0; c < YamNet.CLASSES; c++) {
                mean[c] += o.scores()[s * YamNet.CLASSES + c] / m.seconds();
            }
        }
        List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, YamNet.CLASSES).boxed().toList());
        order.sort((a, b) -> Double.compare(mean[b], mean[a]));
        StringBuilder said = new StringBuilder(sound + ":");
        for (int i = 0; i < 5; i++) {
            said.append(String.format(" %s %.3f;", YamNet.classNames().get(order.get(i)), mean[order.get(i)]));
        }
        System.out.println(said);
        return order.subList(0, k);
    }

    /** Speech is Speech; a ringing phone a telephone class; the "complete" chime a ding; the synthesized bell music. */
    @Test
    void realSoundsGetTheirKindOfAudioSetClass() throws Exception {
        assertEquals(521, YamNet.classNames().size());
        assertEquals("Speech", YamNet.classNames().get(0));
        assertEquals(List.of(0), top(MediaFixtures.speech(dir, "The quick brown fox jumps over the lazy dog. This is a "
                + "test of the audio extractor."), 3, 1), "speech");
        // 383 Telephone, 384 Telephone bell ringing, 385 Ringtone
        List<Integer> phone = top(MediaFixtures.sound("phone-incoming-call.oga"), 3, 3);
        assertTrue(phone.stream().anyMatch(Set.of(383, 384, 385)::contains), "phone " + phone);
        // 476 Ping, 477 Ding, 200 Chime, 195 Bell
        List<Integer> ding = top(MediaFixtures.sound("complete.oga"), 2, 1);
        assertTrue(Set.of(476, 477, 200, 195).contains(ding.get(0)), "complete.oga " + ding);
        // freedesktop's "bell" is a synthesized tone: Music (132) ... Singing bowl (209)
        List<Integer> bell = top(MediaFixtures.sound("bell.oga"), 2, 3);
        assertTrue(bell.stream().allMatch(c -> c >= 132 && c <= 209), "bell.oga " + bell);
    }

    /** Several seconds at once give what each second gives alone; the front end agrees with vidkit's own log-mel code. */
    @Test
    void secondsAreIndependentAndTheFrontEndIsALogMelSpectrogram() throws Exception {
        Path clip = MediaFixtures.clip(dir.resolve("three.mp4"), "dog.jpg", MediaFixtures.speech(dir, "One, two, three, four, "
                + "five, six, seven."), 3, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac");
        DecodedMedia m = decoder.decode(clip, false);
        YamNet.Output all = yamnet.run(m.audio(), 3);
        assertEquals(3 * YamNet.EMBEDDING, all.embeddings().length);
        for (int s = 0; s < 3; s++) {
            float[] alone = yamnet.run(java.util.Arrays.copyOfRange(m.audio(), s * 16000, s * 16000 + YamNet.PATCH_SAMPLES), 1)
                    .embeddings();
            for (int d = 0; d < YamNet.EMBEDDING; d++) {
                assertEquals(alone[d], all.embeddings()[s * YamNet.EMBEDDING + d], 1e-4f, "second " + s + " dim " + d);
                assertTrue(alone[d] >= 0, "a mean of ReLU outputs");
            }
        }
        // each band's mean over the patch vs LogMelFeatures (numpy-checked, 98 windows of the same design)
        float[] ours = LogMelFeatures.of(m.audio(), 3);
        for (int s = 0; s < 3; s++) {
            double[] a = new double[64];
            double[] b = new double[64];
            for (int band = 0; band < 64; band++) {
                for (int t = 0; t < 96; t++) {
                    a[band] += all.logMel()[(s * 96 + t) * 64 + band] / 96;
                }
                b[band] = ours[s * LogMelFeatures.DIMENSION + band];
            }
            assertTrue(correlation(a, b) > 0.99, "second " + s + ": correlation " + correlation(a, b));
        }
    }

    static double correlation(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** openWakeWord's speech embedding: 96-d per second, finite, the same for the same audio, different for other speech. */
    @Test
    void theSpeechEmbeddingGivesOneVectorPerSecond() throws Exception {
        try (SpeechEmbedding speech = SpeechEmbedding.load(1)) {
            Path a = MediaFixtures.clip(dir.resolve("a.mp4"), "dog.jpg", MediaFixtures.speech(dir, "Hello there, how are you "
                    + "today?"), 2, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac");
            float[] audio = decoder.decode(a, false).audio();
            float[] x = speech.features(audio, 2);
            assertEquals(2 * SpeechEmbedding.DIMENSION, x.length);
            for (float v : x) {
                assertTrue(Float.isFinite(v));
            }
            assertArrayEquals(x, speech.features(audio, 2), 1e-6f);
            float[] silence = speech.features(new float[2 * 16000], 2);
            double diff = 0;
            for (int i = 0; i < x.length; i++) {
                diff += Math.abs(x[i] - silence[i]);
            }
            assertTrue(diff > 1, "speech and silence differ: " + diff);
        }
    }

    @Test
    void aDamagedModelFileIsATypedError() {
        byte[] junk = "TFL3 is not enough".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(vidkit.data.CorruptFileException.class, () -> TfLiteModel.parse(junk, Path.of("x.tflite")));
        byte[] notTflite = new byte[64];
        assertThrows(vidkit.data.CorruptFileException.class, () -> TfLiteModel.parse(notTflite, Path.of("x.tflite")));
    }
}
