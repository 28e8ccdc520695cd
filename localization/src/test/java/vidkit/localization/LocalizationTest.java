package vidkit.localization;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import vidkit.core.BlockMismatchException;
import vidkit.core.Json;
import vidkit.core.ModelBlocks;
import vidkit.tagging.TaggingConfig;
import vidkit.tagging.TrainedTagger;
import vidkit.data.InvalidDataException;
import vidkit.data.SyntheticPairs;
import vidkit.train.TestData;
import vidkit.train.Trainer;

class LocalizationTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** A worked example: 2 clips of 4 seconds, background = 3. */
    @Test
    void segmentMetricsFollowAWorkedExample() {
        int[][] truth = {{3, 1, 1, 3}, {0, 0, 0, 0}};
        int[][] predicted = {{1, 1, 1, 3}, {0, 0, 3, 3}};
        SegmentMetrics m = SegmentMetrics.of(truth, predicted, 3);
        // right: clip 1 seconds 1, 2, 3; clip 2 seconds 0, 1 → 5 of 8
        assertEquals(5 / 8.0, m.accuracy(), 1e-12);
        assertEquals(2 / 4.0, m.perClass()[0], 1e-12); // class 0: 4 seconds, 2 right
        assertEquals(1.0, m.perClass()[1], 1e-12); // class 1: 2 seconds, both right
        assertTrue(Double.isNaN(m.perClass()[2]));
        assertEquals(1 / 2.0, m.perClass()[3], 1e-12); // background: 2 seconds, 1 right
        // clip 1: true [1, 3), predicted [0, 3) → start 1, end 0; clip 2: true [0, 4), predicted [0, 2) → 0, 2
        assertEquals(0.5, m.startError(), 1e-12);
        assertEquals(1.0, m.endError(), 1e-12);
        // the oracle diagnostics: predicted seconds with the true classes (0 and 0 → clip 1 all wrong but
        // second 3), true seconds with the predicted classes (1 and 0)
        assertArrayEquals(new int[][] {{0, 0, 0, 3}, {0, 0, 3, 3}}, SegmentMetrics.withTrueClass(predicted, new int[] {0, 0}, 3));
        assertArrayEquals(new int[][] {{3, 1, 1, 3}, {0, 0, 0, 0}}, SegmentMetrics.withTrueSeconds(truth, new int[] {1, 0}, 3));
        assertEquals(List.of(List.of(1, 3, 1)), SegmentMetrics.runs(truth[0], 3).stream()
                .map(r -> List.of(r[0], r[1], r[2])).toList());
    }

    @Test
    void decodingPutsTheClipClassWhereTheEventIsLikelyAndAlwaysKeepsOneEventSecond() {
        float[] classes = {0.1f, 0.7f, 0.2f};
        assertArrayEquals(new int[] {3, 1, 1, 3}, TrainedLocalizer.decode(new float[] {0.2f, 0.6f, 0.9f, 0.5f}, classes, 0.5));
        // nothing above the threshold: the most eventful second (ties: the first) is the event
        assertArrayEquals(new int[] {3, 3, 1, 3}, TrainedLocalizer.decode(new float[] {0.1f, 0.2f, 0.4f, 0.4f}, classes, 0.5));
    }

    @Test
    void badSegmentsAreErrorsNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("labels.csv");
        Files.writeString(f, "id,label,start_s,end_s\na,0,3,2\n");
        var e = assertThrows(InvalidDataException.class, () -> EventSegments.read(f, List.of("a"), 10));
        assertTrue(e.getMessage().contains("labels.csv") && e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(f, "id,label,start_s,end_s\na,0,0,11\n");
        assertThrows(InvalidDataException.class, () -> EventSegments.read(f, List.of("a"), 10));
        Files.writeString(f, "id,label,start_s,end_s\na,0,x,2\n");
        e = assertThrows(InvalidDataException.class, () -> EventSegments.read(f, List.of("a"), 10));
        assertTrue(e.getMessage().contains("start_s"), e.getMessage());
        Files.writeString(f, "id,label\na,0\n");
        e = assertThrows(InvalidDataException.class, () -> EventSegments.read(f, List.of("a"), 10));
        assertTrue(e.getMessage().contains("start_s"), e.getMessage());
        assertArrayEquals(new int[] {5, 2, 2, 5}, EventSegments.targets(new EventSegments.Segment(1, 3), 2, 5, 4));
        // an empty segment (AVE clip 0063 is annotated [0, 0)): all background
        Files.writeString(f, "id,label,start_s,end_s\na,0,0,0\n");
        assertArrayEquals(new int[] {5, 5, 5, 5}, EventSegments.targets(EventSegments.read(f, List.of("a"), 4).get(0), 2, 5, 4));
    }

    @Test
    void predictWritesEachClipsTimelineAsJsonAndCsv(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("d");
        SyntheticPairs.write(data, 80, 8, 16, 8, 4, 2);
        var r = Trainer.train(LocalizationConfig.load(null, List.of("data=" + data, "model.hidden=16", "epochs=2",
                "batchSize=16")), Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        Path out = dir.resolve("timelines.json");
        List<Timelines.Clip> clips = Timelines.write(r.run(), data, out, QUIET);
        assertEquals(80, clips.size());
        assertEquals(80, Json.MAPPER.readTree(out.toFile()).size());
        List<String> csv = Files.readAllLines(dir.resolve("timelines.csv"));
        assertEquals("id,start_s,end_s,label,event,score", csv.get(0));
        int intervals = clips.stream().mapToInt(c -> c.intervals().size()).sum();
        assertEquals(intervals + 1, csv.size());
        for (Timelines.Clip c : clips) {
            assertFalse(c.intervals().isEmpty(), "every clip has an event");
            for (Timelines.Interval i : c.intervals()) {
                assertTrue(i.start() >= 0 && i.end() <= 8 && i.start() < i.end() && i.score() >= 0 && i.score() <= 1);
            }
        }
        assertTrue(Files.exists(r.run().path().resolve(LocalizationEvaluation.TIMELINES)));
    }

    /**
     * {@code "init": {"block": "model", "into": "classHead", "freeze": true}}: the localizer's clip-class
     * head starts as a whole trained tagger of another run and stays so through training (every
     * trained weight equal after two epochs), the provenance says which block went where, and a
     * tagger of another shape is a typed error naming both runs and both blocks.
     */
    @Test
    void theClipClassHeadStartsFromAWholeTaggingRun(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("d");
        SyntheticPairs.write(data, 80, 8, 16, 8, 4, 5);
        // the tagging config that equals the localizer's default clip-class head
        List<String> head = List.of("data=" + data, "model.pooling.type=netvlad", "model.hidden=256",
                "model.inputGating=true", "model.dropout=0.5", "epochs=2", "batchSize=16");
        var tagger = Trainer.train(TaggingConfig.load(null, head), Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        String init = "init={\"run\": \"" + tagger.run().path() + "\", \"block\": \"model\", \"into\": \"classHead\", \"freeze\": true}";
        var child = Trainer.train(LocalizationConfig.load(null, List.of("data=" + data, "model.hidden=16", "epochs=2",
                "batchSize=16", init)), Trainer.Options.of(dir.resolve("runs"), "t", QUIET));
        try (TrainedTagger t = TrainedTagger.load(tagger.run().inferenceCheckpoint());
                TrainedLocalizer l = TrainedLocalizer.load(child.run().inferenceCheckpoint())) {
            var from = new java.util.LinkedHashMap<String, Parameter>();
            t.block().getParameters().forEach(p -> from.put(p.getKey(), p.getValue()));
            var to = ModelBlocks.of(l.block()).get("classHead");
            assertEquals(from.size(), to.size());
            int compared = 0;
            for (Pair<String, Parameter> p : to) {
                if (p.getKey().contains("running")) {
                    continue; // batch-norm statistics follow the training batches, frozen or not
                }
                assertArrayEquals(from.get(p.getKey()).getArray().toFloatArray(), p.getValue().getArray().toFloatArray(),
                        1e-6f, p.getKey());
                compared++;
            }
            assertTrue(compared > 10, "compared " + compared);
        }
        var parents = Json.MAPPER.readTree(child.run().provenance().toFile()).get("parentRuns");
        assertEquals("model", parents.get(0).get("block").asText());
        assertEquals("classHead", parents.get(0).get("into").asText());
        var e = assertThrows(BlockMismatchException.class, () -> Trainer.train(LocalizationConfig.load(null, List.of(
                "data=" + data, "model.hidden=16", "epochs=1", "model.classHead.hidden=128", init)),
                Trainer.Options.of(dir.resolve("runs"), "t", QUIET)));
        assertTrue(e.getMessage().contains("model → classHead") && e.getMessage().contains(tagger.run().path().toString()),
                e.getMessage());
    }

    /** Learns the real AVE clips: far above "always background" (0.17) and the class-chance level. */
    @Test
    void theLocalizerLearnsTheRealAveSegments(@TempDir Path runs) throws Exception {
        var r = Trainer.train(LocalizationConfig.load(null, List.of("data=" + TestData.courseData(), "model.hidden=64",
                "epochs=6", "schedule.kind=constant")), Trainer.Options.of(runs, "t", QUIET));
        var e = (LocalizationEvaluation.Result) r.evaluation();
        assertTrue(e.accuracy() > 0.6, "segment accuracy " + e.accuracy());
        assertTrue(e.clipAccuracy() > 0.6, "clip class accuracy " + e.clipAccuracy());
        assertEquals(548, e.clips());
        assertEquals(5480, e.seconds());
        double always = e.baselines().stream().filter(b -> b.name().startsWith("always event")).findFirst().orElseThrow()
                .accuracy();
        assertTrue(always > 0.7, "always-event ceiling " + always);
        // the two oracles each fix one half of the model's error, so neither scores below the model
        for (var b : e.baselines()) {
            if (b.name().startsWith("oracle")) {
                assertTrue(b.accuracy() >= e.accuracy(), b.name() + " " + b.accuracy() + " < " + e.accuracy());
            }
        }
    }
}
