package vidkit.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vidkit.data.FeatureSet;
import vidkit.data.SyntheticPairs;
import vidkit.index.EmbeddingLibrary;
import vidkit.index.HnswIndex;
import vidkit.core.Configs;
import vidkit.train.Trainer;
import vidkit.core.RunDirectory;
import vidkit.tagging.TaggingConfig;
import vidkit.matching.MatchingConfig;
import vidkit.matching.TrainedMatcher;

/**
 * Real parts for the server tests, made once per test JVM: a paired dataset with temporal events
 * (the built-in synthetic kind), a two-tower run and a tagging run trained on it with the real
 * engine, a question-answering run on questions generated from its annotations, the audio and
 * video embedding libraries, and an HNSW index of the audio library.
 */
final class ServeFixture {
    static final int CLIPS = 160;
    static final int FRAMES = 10;
    static final int VIDEO_DIM = 24;
    static final int AUDIO_DIM = 12;

    final Path root;
    final Path data;
    final Path twoTower;
    final Path tagger;
    /** A question-answering run on questions generated from the data's annotations. */
    final Path answerer;
    final Path audioLibrary;
    final Path videoLibrary;
    final Path audioIndex;

    private static ServeFixture instance;

    private ServeFixture(Path root) throws Exception {
        this.root = root;
        data = root.resolve("data");
        SyntheticPairs.write(data, CLIPS, FRAMES, VIDEO_DIM, AUDIO_DIM, 4, 3);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        ObjectNode m = Configs.readTree(null, List.of("data=" + data, "model.type=twotower", "model.hidden=16",
                "model.embedding=8", "epochs=4", "batchSize=32", "evaluation.draws=20", "evaluation.subsetSize=20",
                "evaluation.bootstrap=10"));
        twoTower = Trainer.train(MatchingConfig.parse(m, Path.of("test")), Trainer.Options.of(root.resolve("runs"), "test", quiet)).run().path();
        ObjectNode t = Configs.readTree(null, List.of("type=tagging", "data=" + data, "epochs=3", "batchSize=32",
                "model.hidden=16"));
        tagger = Trainer.train(TaggingConfig.parse(t, Path.of("test")), Trainer.Options.of(root.resolve("runs"), "test", quiet))
                .run().path();
        Path questions = root.resolve("qa.jsonl");
        vidkit.qa.QuestionsFile.write(questions, vidkit.qa.QuestionGenerator.generate(data, 1));
        answerer = Trainer.train(vidkit.qa.QaConfig.load(null, List.of("data=" + data, "questions=" + questions,
                "model.hidden=16", "model.heads=2", "model.layers=1", "epochs=2", "batchSize=64")),
                Trainer.Options.of(root.resolve("runs"), "test", quiet)).run().path();
        audioLibrary = root.resolve("audio.vkemb");
        videoLibrary = root.resolve("video.vkemb");
        try (TrainedMatcher matcher = TrainedMatcher.load(RunDirectory.open(twoTower).inferenceCheckpoint())) {
            FeatureSet audio = FeatureSet.load(data.resolve("afeat"));
            FeatureSet video = FeatureSet.load(data.resolve("vfeat"));
            EmbeddingLibrary.write(audioLibrary, audio.ids(), matcher.embed(audio, false, false), matcher.embeddingDim());
            EmbeddingLibrary.write(videoLibrary, video.ids(), matcher.embed(video, true, false), matcher.embeddingDim());
        }
        audioIndex = root.resolve("audio.hnsw");
        try (EmbeddingLibrary lib = EmbeddingLibrary.open(audioLibrary)) {
            HnswIndex.build(lib, audioIndex, HnswIndex.Params.DEFAULT, 1, null);
        }
    }

    static synchronized ServeFixture get() throws Exception {
        if (instance == null) {
            Path root = Files.createTempDirectory("vidkit-serve-test");
            root.toFile().deleteOnExit();
            instance = new ServeFixture(root);
        }
        return instance;
    }

    /** A config serving everything, on a free port, with {@code extra} overrides. */
    ServeConfig config(String... extra) throws Exception {
        List<String> sets = new java.util.ArrayList<>(List.of("run=" + twoTower, "library=" + audioLibrary,
                "index=" + audioIndex, "videoLibrary=" + videoLibrary, "features=" + data, "tagger=" + tagger, "answerer=" + answerer, "port=0",
                "computeThreads=2", "warmupQueries=40"));
        sets.addAll(List.of(extra));
        return ServeConfig.load(null, sets);
    }
}
