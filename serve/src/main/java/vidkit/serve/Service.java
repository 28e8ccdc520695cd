package vidkit.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vidkit.data.FeatureSet;
import vidkit.data.InvalidDataException;
import vidkit.data.PairedDataset;
import vidkit.data.TaggingDataset;
import vidkit.data.Vocabulary;
import vidkit.index.EmbeddingLibrary;
import vidkit.index.ExactSearch;
import vidkit.index.HnswIndex;
import vidkit.core.RunDirectory;
import vidkit.matching.TrainedMatcher;
import vidkit.tagging.TrainedTagger;

/**
 * What the server answers, without HTTP: a two-tower model and the audio library for matching, an
 * optional video library for similar videos, an optional tagger, an optional cross model for
 * re-ranking and an optional paired dataset whose items can be named by id. Every method is safe to
 * call from several threads at once.
 *
 * <p>Rules: scores of {@code match} and {@code similar} are dot products of unit embeddings (cosine
 * similarities), best first, ties to the lower library row; re-ranked hits carry the cross model's
 * score, and candidates that have no features in {@code features} cannot be re-ranked and follow the
 * re-ranked ones in their first-stage order. Tag scores are sigmoid probabilities of the tagger's
 * logits, best first, ties to the lower class index. {@code similar} by id leaves the item itself out.
 */
public final class Service implements AutoCloseable {
    /** A library item and its score. */
    public record Hit(String id, float score) {}

    /** Hits of {@code /v1/match}; {@code reranked} = how many of the candidates the cross model re-scored. */
    public record MatchResult(List<Hit> hits, String search, int reranked) {}

    /** A label and its probability. */
    public record Tag(int index, String name, float score) {}

    /**
     * A clip of the features dataset or a video of a library: its rows, its label (paired data) or
     * labels' names (a video library's {@code videoData}, else null).
     */
    public record Item(String id, int audioLibraryRow, int videoLibraryRow, boolean hasFeatures, Integer label,
            String labelName, List<String> labels) {}

    private final ServeConfig config;
    private final TrainedMatcher matcher;
    private final EmbeddingLibrary audioLibrary;
    private final HnswIndex audioIndex;
    private final EmbeddingLibrary videoLibrary;
    private final HnswIndex videoIndex;
    private final TrainedTagger tagger;
    /** The question-answering run of {@code /v1/ask}, or null. */
    private final vidkit.qa.TrainedAnswerer answerer;
    private final TrainedMatcher reranker;
    /** The similarity run whose embeddings the video library holds, or null. */
    private final vidkit.similarity.TrainedSimilarity similarityModel;
    /** The video library's videos' label names (from {@code videoData}), or empty. */
    private final Map<String, List<String>> videoLabels;
    private final PairedDataset features;
    private final Map<String, Integer> featureRow;
    private final List<String> itemIds;
    /** Query videos are embedded in dynamic batches (see {@link BatchingEncoder}). */
    private final BatchingEncoder videoEncoder;
    /** Uploaded video files, extracted like {@code vidkit extract}. */
    private final VideoUploads uploads;
    /** Whether the matcher (tagger) takes uploads, and with which audio extractor. */
    private final VideoUploads.Check matcherUploads;
    private final VideoUploads.Check taggerUploads;

    private Service(ServeConfig config, TrainedMatcher matcher, EmbeddingLibrary audioLibrary, HnswIndex audioIndex,
            EmbeddingLibrary videoLibrary, HnswIndex videoIndex, TrainedTagger tagger, TrainedMatcher reranker,
            vidkit.similarity.TrainedSimilarity similarityModel, Map<String, List<String>> videoLabels,
            PairedDataset features, vidkit.qa.TrainedAnswerer answerer) throws IOException {
        this.config = config;
        this.answerer = answerer;
        this.uploads = new VideoUploads(config.maxVideoPixels(), config.modelsDir());
        this.matcherUploads = config.run() == null ? null : VideoUploads.check(Path.of(config.run()));
        this.similarityModel = similarityModel;
        this.videoLabels = videoLabels;
        this.taggerUploads = config.tagger() == null ? null : VideoUploads.check(Path.of(config.tagger()));
        this.matcher = matcher;
        this.audioLibrary = audioLibrary;
        this.audioIndex = audioIndex;
        this.videoLibrary = videoLibrary;
        this.videoIndex = videoIndex;
        this.tagger = tagger;
        this.reranker = reranker;
        this.features = features;
        this.featureRow = new HashMap<>();
        if (features != null) {
            for (int i = 0; i < features.size(); i++) {
                featureRow.put(features.ids().get(i), i);
            }
        }
        this.itemIds = features != null ? features.ids() : audioLibrary != null ? audioLibrary.ids() : videoLibrary.ids();
        if (matcher == null) {
            this.videoEncoder = null;
            return;
        }
        int per = matcher.state().frames() * matcher.state().videoDim();
        this.videoEncoder = new BatchingEncoder("vidkit-encoder", inputs -> {
            float[] values = new float[inputs.size() * per];
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                System.arraycopy(inputs.get(i), 0, values, i * per, per);
                ids.add(Integer.toString(i));
            }
            FeatureSet batch = new FeatureSet(Path.of("request"), ids, frames(), videoDim(), values, "");
            float[] out = matcher.embed(batch, true, false);
            int d = matcher.embeddingDim();
            List<float[]> rows = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                rows.add(java.util.Arrays.copyOfRange(out, i * d, (i + 1) * d));
            }
            return rows;
        }, config.computeThreads(), 64);
    }

    /** Loads everything the config names, checking that the parts fit together. */
    public static Service open(ServeConfig config) throws IOException {
        config.checkPaths();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            TrainedMatcher matcher = null;
            EmbeddingLibrary audio = null;
            HnswIndex audioIndex = null;
            if (config.run() != null) {
                matcher = TrainedMatcher.load(RunDirectory.open(Path.of(config.run())).inferenceCheckpoint());
                opened.add(matcher);
                if (matcher.embeddingDim() < 0) {
                    throw new InvalidDataException(Path.of(config.run()), "is a " + matcher.config().model().typeName()
                            + " run; serving searches embeddings, which only twotower and cca runs make");
                }
                audio = open(Path.of(config.library()), matcher.embeddingDim(), opened);
                audioIndex = config.index() == null ? null : HnswIndex.open(Path.of(config.index()), audio);
                if (audioIndex != null) {
                    opened.add(audioIndex);
                }
            }
            vidkit.similarity.TrainedSimilarity similarityModel = null;
            if (config.similarity() != null) {
                similarityModel = vidkit.similarity.TrainedSimilarity.load(
                        RunDirectory.open(Path.of(config.similarity())).inferenceCheckpoint());
                opened.add(similarityModel);
            }
            EmbeddingLibrary video = config.videoLibrary() == null ? null : open(Path.of(config.videoLibrary()),
                    similarityModel != null ? similarityModel.embeddingDim() : matcher.embeddingDim(), opened);
            Map<String, List<String>> videoLabels = config.videoData() == null ? Map.of() : labelNames(config, video);
            HnswIndex videoIndex = config.videoIndex() == null ? null : HnswIndex.open(Path.of(config.videoIndex()), video);
            if (videoIndex != null) {
                opened.add(videoIndex);
            }
            TrainedTagger tagger = null;
            if (config.tagger() != null) {
                tagger = TrainedTagger.load(RunDirectory.open(Path.of(config.tagger())).inferenceCheckpoint());
                opened.add(tagger);
            }
            TrainedMatcher reranker = null;
            if (config.rerank() != null) {
                reranker = TrainedMatcher.load(RunDirectory.open(Path.of(config.rerank())).inferenceCheckpoint());
                opened.add(reranker);
            }
            PairedDataset features = config.features() == null ? null : PairedDataset.load(Path.of(config.features()));
            if (features != null && (features.video().dim() != matcher.state().videoDim()
                    || features.audio().dim() != matcher.state().audioDim())) {
                throw new InvalidDataException(Path.of(config.features()), "clips are video " + features.video().dim()
                        + "-d, audio " + features.audio().dim() + "-d per frame; the run was trained on "
                        + matcher.state().videoDim() + " and " + matcher.state().audioDim());
            }
            vidkit.qa.TrainedAnswerer answerer = null;
            if (config.answerer() != null) {
                answerer = vidkit.qa.TrainedAnswerer.load(RunDirectory.open(Path.of(config.answerer())).inferenceCheckpoint());
                opened.add(answerer);
            }
            return new Service(config, matcher, audio, audioIndex, video, videoIndex, tagger, reranker, similarityModel,
                    videoLabels, features, answerer);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : opened.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static EmbeddingLibrary open(Path file, int runDim, List<AutoCloseable> opened) throws IOException {
        EmbeddingLibrary lib = EmbeddingLibrary.open(file);
        opened.add(lib);
        if (lib.dim() != runDim) {
            throw new InvalidDataException(file, "holds " + lib.dim() + "-d embeddings; the run embeds " + runDim + "-d");
        }
        return lib;
    }

    /**
     * The label names of the video library's videos, read from {@code videoData} (YouTube-8M shards)
     * with {@code vocabulary}'s names (else "class N"); a library video the shards lack is an error.
     */
    private static Map<String, List<String>> labelNames(ServeConfig config, EmbeddingLibrary video) throws IOException {
        vidkit.data.TaggingDataset data = vidkit.data.TaggingDataset.load(config.videoData(), false, 1,
                config.vocabulary() == null ? null : Path.of(config.vocabulary()), false, null, null);
        Map<String, List<String>> out = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            List<String> names = new ArrayList<>();
            for (int c : data.labels()[i]) {
                String n = data.vocabulary().name(c);
                names.add(n.isEmpty() ? "class " + c : n); // vocabulary.csv leaves 56 YouTube-8M names empty
            }
            out.put(data.ids().get(i), List.copyOf(names));
        }
        for (String id : video.ids()) {
            if (!out.containsKey(id)) {
                throw new InvalidDataException(Path.of(config.videoData()), "has no video " + id + " of the video library "
                        + config.videoLibrary() + ": videoData must hold the library's videos");
            }
        }
        return out;
    }

    public ServeConfig config() {
        return config;
    }

    /** Frames per clip the two-tower model takes (0 without a matching run). */
    public int frames() {
        return matcher == null ? 0 : matcher.state().frames();
    }

    /** Video features per frame of the matching run (0 without one). */
    public int videoDim() {
        return matcher == null ? 0 : matcher.state().videoDim();
    }

    /** Audio features per frame of the matching run (0 without one). */
    public int audioDim() {
        return matcher == null ? 0 : matcher.state().audioDim();
    }

    /** Whether a matching run is served ({@code /v1/match}, {@code /v1/similarity}). */
    public boolean hasMatcher() {
        return matcher != null;
    }

    /** Refuses a matching query on a server without a matching run. */
    public void requireMatcher() throws ServiceException {
        if (matcher == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_matching_run", null, "this server was "
                    + "started for similar videos only (similarity, videoLibrary); matching needs run and library");
        }
    }

    /** How many videos the video library holds (0 without one). */
    public int videoLibrarySize() {
        return videoLibrary == null ? 0 : videoLibrary.size();
    }

    /** Whether {@code /v1/similar} embeds query features with a similarity run. */
    public boolean hasSimilarityModel() {
        return similarityModel != null;
    }

    /** The similarity run's video-level input widths {@code [visualDim, audioDim]}, or null without one. */
    public int[] similarityDims() {
        return similarityModel == null ? null : similarityModel.inputDims();
    }

    /** The label names of a video library's video (from {@code videoData}), or null when not known. */
    public List<String> labelNames(String id) {
        return videoLabels.get(id);
    }

    /**
     * The similarity run's unit embedding of one video's video-level features {@code visual ⊕ audio}
     * ({@code [visualDim + audioDim]}; the caller has checked the length). A model with a text
     * stream gets no title here (zeros, the rule for a video without one).
     */
    public float[] embedForSimilarity(float[] visualAndAudio) throws ServiceException {
        if (similarityModel == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_similarity_run", "features",
                    "this server has no similarity run");
        }
        if (similarityModel.frameLevel()) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "feature_mismatch", "features", "the "
                    + "similarity run pools frames (frame level); query it by 'id' of the video library");
        }
        int dv = similarityModel.inputDims()[0];
        synchronized (similarityModel) {
            return similarityModel.embedFeatures(java.util.Arrays.copyOfRange(visualAndAudio, 0, dv),
                    java.util.Arrays.copyOfRange(visualAndAudio, dv, visualAndAudio.length), 1);
        }
    }

    public boolean hasAnswerer() {
        return answerer != null;
    }

    /** The answerer's clips: {@code [seconds, videoDim, audioDim]}. */
    public int[] answererShape() {
        return new int[] {answerer.state().frames(), answerer.state().videoDim(), answerer.state().audioDim()};
    }

    /**
     * The {@code k} most probable answers to {@code question} about one clip ({@code video [seconds,
     * videoDim]}, {@code audio [seconds, audioDim]} of the answerer's sizes), best first.
     */
    public List<vidkit.qa.TrainedAnswerer.Answer> ask(float[] video, float[] audio, String question, int k)
            throws ServiceException {
        if (answerer == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_answerer", null,
                    "this server has no question-answering run (start it with --answerer RUN)");
        }
        try {
            return answerer.answer(video, audio, question, k);
        } catch (vidkit.qa.Questions.InvalidQuestionException e) {
            throw new ServiceException(ServiceException.Reason.BAD_INPUT, e.reason(), "question", e.getMessage());
        } catch (InvalidDataException e) {
            throw new ServiceException(ServiceException.Reason.BAD_INPUT, "bad_shape", null, e.getMessage());
        }
    }

    public boolean hasTagger() {
        return tagger != null;
    }

    public boolean hasReranker() {
        return reranker != null;
    }

    public boolean hasVideoLibrary() {
        return videoLibrary != null;
    }

    public boolean hasFeatures() {
        return features != null;
    }

    public EmbeddingLibrary audioLibrary() {
        return audioLibrary;
    }

    /** The tagger's input sizes {@code [visualDim, audioDim]}, or null without a tagger. */
    public int[] taggerDims() {
        return tagger == null ? null : new int[] {tagger.state().visualDim(), tagger.state().audioDim()};
    }

    /** The ids a client can pick from: the features dataset's, else the audio library's. */
    public List<String> itemIds() {
        return itemIds;
    }

    /** The item, or null when no part of the server knows the id. */
    public Item item(String id) {
        int a = audioLibrary == null ? -1 : audioLibrary.indexOf(id);
        int v = videoLibrary == null ? -1 : videoLibrary.indexOf(id);
        Integer f = featureRow.get(id);
        if (a < 0 && v < 0 && f == null) {
            return null;
        }
        Integer label = null;
        String name = null;
        if (f != null && features.labels() != null) {
            label = features.labels().get(f).label();
            name = features.labels().get(f).event();
        }
        return new Item(id, a, v, f != null, label, name, videoLabels.get(id));
    }

    /** The stored video features {@code [frames, videoDim]} of a dataset clip. */
    public float[] videoFeatures(String id, String field) throws ServiceException {
        int r = row(id, field);
        return features.video().rows(r);
    }

    /** The stored audio features {@code [frames, audioDim]} of a dataset clip. */
    public float[] audioFeatures(String id, String field) throws ServiceException {
        int r = row(id, field);
        return features.audio().rows(r);
    }

    private int row(String id, String field) throws ServiceException {
        if (features == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_features", field, "this server was started without a features dataset, so "
                    + "items cannot be named by id; send the features instead");
        }
        Integer r = featureRow.get(id);
        if (r == null) {
            throw new ServiceException(ServiceException.Reason.UNKNOWN_ID, "unknown_id", field, "no clip '" + id + "' in the features dataset");
        }
        return r;
    }

    /**
     * The unit embedding of a video's raw features {@code [frames, videoDim]} (the caller has checked
     * the shape), computed in a batch with whatever other queries are waiting.
     */
    public float[] embedVideo(float[] videoFeatures) throws ServiceException {
        requireMatcher();
        if (videoFeatures.length != frames() * videoDim()) {
            throw new ServiceException(ServiceException.Reason.BAD_INPUT, "bad_shape", "features", "expected " + frames() + " × " + videoDim() + " values, got "
                    + videoFeatures.length);
        }
        return videoEncoder.encode(videoFeatures);
    }

    /** The top {@code k} audios for a video's raw features; re-ranked by the cross model when asked. */
    public MatchResult match(float[] videoFeatures, int k, boolean rerank) throws ServiceException, IOException {
        if (rerank && reranker == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_reranker", "rerank", "this server has no cross model to re-rank with "
                    + "(start it with --rerank RUN)");
        }
        float[] query = embedVideo(videoFeatures);
        int first = rerank ? Math.max(k, config.rerankK()) : k;
        List<ExactSearch.Hit> hits = search(audioLibrary, audioIndex, query, first);
        if (!rerank) {
            return new MatchResult(toHits(audioLibrary, hits, k), audioIndex == null ? "exact" : "hnsw", 0);
        }
        // re-rank the candidates that have audio features; the rest follow in first-stage order
        List<ExactSearch.Hit> withFeatures = new ArrayList<>();
        List<ExactSearch.Hit> without = new ArrayList<>();
        for (ExactSearch.Hit h : hits) {
            (featureRow.containsKey(audioLibrary.ids().get(h.index())) ? withFeatures : without).add(h);
        }
        List<Hit> out = new ArrayList<>();
        if (!withFeatures.isEmpty()) {
            int[] rows = new int[withFeatures.size()];
            int[] all = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = featureRow.get(audioLibrary.ids().get(withFeatures.get(i).index()));
                all[i] = i;
            }
            FeatureSet video = new FeatureSet(Path.of("request"), List.of("query"), frames(), videoDim(), videoFeatures, "");
            float[] scores;
            try {
                scores = reranker.scorePairs(video, features.audio().select(rows), new int[][] {all})[0];
            } catch (InvalidDataException e) {
                throw new ServiceException(ServiceException.Reason.BAD_INPUT, "bad_shape", "features", e.getMessage());
            }
            List<Hit> reranked = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                reranked.add(new Hit(audioLibrary.ids().get(withFeatures.get(i).index()), scores[i]));
            }
            // stable: equal cross scores keep the first-stage order
            reranked.sort(Comparator.comparingDouble((Hit h) -> -h.score()));
            out.addAll(reranked);
        }
        out.addAll(toHits(audioLibrary, without, without.size()));
        return new MatchResult(out.subList(0, Math.min(k, out.size())), audioIndex == null ? "exact" : "hnsw",
                withFeatures.size());
    }

    /** The nearest videos to an embedding; {@code exclude} (may be null) is left out. */
    public List<Hit> similar(float[] embedding, int k, String exclude) throws ServiceException, IOException {
        if (videoLibrary == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_video_library", null, "this server has no video library (start it with "
                    + "--video-library LIB)");
        }
        List<ExactSearch.Hit> hits = search(videoLibrary, videoIndex, embedding, exclude == null ? k : k + 1);
        List<Hit> out = new ArrayList<>();
        for (Hit h : toHits(videoLibrary, hits, hits.size())) {
            if (!h.id().equals(exclude) && out.size() < k) {
                out.add(h);
            }
        }
        return out;
    }

    /** The stored embedding of a video in the video library. */
    public float[] videoEmbedding(String id) throws ServiceException {
        if (videoLibrary == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_video_library", "id", "this server has no video library");
        }
        int r = videoLibrary.indexOf(id);
        if (r < 0) {
            throw new ServiceException(ServiceException.Reason.UNKNOWN_ID, "unknown_id", "id", "no video '" + id + "' in the video library");
        }
        return videoLibrary.row(r);
    }

    /** The top {@code k} tags of a clip: per-frame visual {@code [frames, visualDim]} and audio {@code [frames, audioDim]}. */
    public List<Tag> tags(float[] visual, float[] audio, int frames, int k) throws ServiceException {
        if (tagger == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_tagger", null, "this server has no tagger (start it with --tagger RUN)");
        }
        String[] names = tagger.state().classNames();
        TaggingDataset one = new TaggingDataset("request", List.of("query"), new int[][] {{}}, new int[] {frames},
                tagger.state().visualDim(), tagger.state().audioDim(), List.of(visual), List.of(audio),
                new Vocabulary(names), null, false);
        float[] logits;
        try {
            logits = tagger.logits(one, false);
        } catch (InvalidDataException e) {
            throw new ServiceException(ServiceException.Reason.BAD_INPUT, "bad_shape", "visual", e.getMessage());
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        List<Tag> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            int c = order[i];
            out.add(new Tag(c, names[c], (float) (1 / (1 + Math.exp(-logits[c])))));
        }
        return out;
    }

    /**
     * The similarity matrix {@code [ids, ids]} of dataset clips: row i = clip i's video, column j =
     * clip j's audio, entry = the dot product of their embeddings.
     */
    public float[][] similarity(List<String> ids) throws ServiceException {
        requireMatcher();
        int[] rows = new int[ids.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(ids.get(i), "ids");
        }
        try {
            float[] v = matcher.embed(features.video().select(rows), true, false);
            float[] a = matcher.embed(features.audio().select(rows), false, false);
            int d = matcher.embeddingDim();
            float[][] s = new float[rows.length][rows.length];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < rows.length; j++) {
                    float dot = 0;
                    for (int x = 0; x < d; x++) {
                        dot += v[i * d + x] * a[j * d + x];
                    }
                    s[i][j] = dot;
                }
            }
            return s;
        } catch (InvalidDataException e) {
            throw new ServiceException(ServiceException.Reason.BAD_INPUT, "bad_shape", "ids", e.getMessage());
        }
    }

    private List<ExactSearch.Hit> search(EmbeddingLibrary lib, HnswIndex index, float[] query, int k) throws IOException {
        int kk = Math.min(k, lib.size());
        if (index != null) {
            return index.search(query, kk, config.ef());
        }
        return ExactSearch.search(lib, query, 1, kk, 1).get(0);
    }

    private static List<Hit> toHits(EmbeddingLibrary lib, List<ExactSearch.Hit> hits, int k) {
        List<Hit> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, hits.size()); i++) {
            out.add(new Hit(lib.ids().get(hits.get(i).index()), hits.get(i).score()));
        }
        return out;
    }

    /**
     * The matcher's video features {@code [frames, videoDim]} of an uploaded video file: the first
     * {@link #frames()} seconds. Refused (unavailable) when the run was not trained on features of
     * vidkit's extractor; a file that is no usable video, or shorter, is bad input.
     */
    public float[] uploadedVideoFeatures(byte[] file) throws ServiceException, IOException {
        if (similarityModel != null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "feature_mismatch", null, "the similarity "
                    + "run was trained on YouTube-8M's video-level features (" + similarityModel.inputDims()[0] + " + "
                    + similarityModel.inputDims()[1] + "), which vidkit's extractors do not make; send 'id' or 'features'");
        }
        requireMatcher();
        if (matcherUploads.refusal() != null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "feature_mismatch", null,
                    matcherUploads.refusal());
        }
        VideoUploads.Features f = uploads.extract(file, matcherUploads.audio());
        if (f.seconds() < frames()) {
            throw new ServiceException(ServiceException.Reason.BAD_INPUT, "too_short", null, "the video lasts "
                    + f.seconds() + " whole seconds; the run takes clips of " + frames());
        }
        return java.util.Arrays.copyOf(f.video(), frames() * videoDim());
    }

    /** An uploaded file's features for the tagger: every second of both modalities. */
    public record UploadedClip(float[] visual, float[] audio, int frames) {}

    /** The tagger's features of an uploaded video file (all its seconds); refused as {@link #uploadedVideoFeatures}. */
    public UploadedClip uploadedTagFeatures(byte[] file) throws ServiceException, IOException {
        if (tagger == null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "no_tagger", null,
                    "this server has no tagger (start it with --tagger RUN)");
        }
        if (taggerUploads.refusal() != null) {
            throw new ServiceException(ServiceException.Reason.UNAVAILABLE, "feature_mismatch", null,
                    taggerUploads.refusal());
        }
        VideoUploads.Features f = uploads.extract(file, taggerUploads.audio());
        return new UploadedClip(f.video(), f.audio(), f.seconds());
    }

    /** Whether uploaded video files can be matched (the run was trained on vidkit's extracted features). */
    public boolean takesVideoFiles() {
        return matcherUploads != null && matcherUploads.refusal() == null;
    }

    @Override
    public void close() {
        uploads.close();
        if (videoEncoder != null) {
            videoEncoder.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {matcher, audioIndex, audioLibrary, videoIndex, videoLibrary, tagger,
                reranker, similarityModel, answerer}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // read-only resources: nothing is lost, but say so
                    System.err.println("vidkit serve: closing " + c.getClass().getSimpleName() + " failed: " + e);
                }
            }
        }
    }
}
