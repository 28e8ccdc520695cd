package vidkit.similarity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import vidkit.core.Configs;
import vidkit.core.InitConfig;
import vidkit.core.OptimizerConfig;
import vidkit.core.ScheduleConfig;
import vidkit.core.TaskConfig;
import vidkit.core.TeacherConfig;
import vidkit.data.SplitConfig;
import vidkit.nn.SimilarityModelConfig;

/**
 * A video-similarity run ({@code "type": "similarity"}), one stage of seed 004's recipe. Defaults
 * live here.
 *
 * @param type {@code "similarity"}
 * @param data YouTube-8M shards (file, directory or glob; required): video level, or frame level
 *     with {@code frameLevel}
 * @param frameLevel the shards hold frame-level SequenceExamples (default false); the model then
 *     pools each modality's frames ({@code model.pooling}, required then)
 * @param maxFrames frames kept per video at frame level (default 300)
 * @param pairs a directory from {@code vidkit pairs make}: {@code train-pairs.csv},
 *     {@code validation-pairs.csv} and the {@code split/} both sides come from (required)
 * @param stage {@code pretrain} (multi-label tags, focal loss), {@code pairwise} (the cosine of the
 *     two embeddings regressed to the pair's score, MSE), {@code distill} (the same with targets
 *     {@code (1 − distillWeight) · score + distillWeight · teacher's cosine}) or {@code blend} (an MLP
 *     over the concatenated embeddings of the {@code members}, trained on the pairs); default pretrain
 * @param tags pre-training classes: the most frequent ones among the training videos (default 1000)
 * @param focalGamma focal loss γ of pre-training (default 2)
 * @param layerDecay layer-wise learning-rate decay: a parameter at depth d (0 = input layers, 3 =
 *     tag head; see {@code SimilarityModel.depth}) trains at {@code lr · layerDecay^(3 − d)} (default
 *     1 = off; seed 004 used it in the pairwise stage)
 * @param tagWeight the pairwise and distill stages' auxiliary loss: {@code tagWeight} times the
 *     pre-training focal loss on the batch's videos, so the encoder keeps predicting tags while it
 *     learns the pairs (default 0 = off; the tag head should then come from the pre-training run:
 *     {@code "init": {"run": P, "block": "model"}})
 * @param distillWeight the teacher's share of the targets in the distill stage (default 0.5)
 * @param split not used: the split is the pairs directory's ({@code pairs/split})
 * @param folds k of k-fold training over the pairs (default 1: every training pair); with k > 1 a
 *     pairwise or distill run trains on the training pairs outside its {@code fold} (pair {@code i}
 *     of {@code train-pairs.csv} is in fold {@code splitmix64(i) mod k} — hashed, not {@code i mod k},
 *     since {@code pairs make} draws every third pair uniformly and {@code i mod 3} would put exactly
 *     those in one fold), so that k runs differ in what they saw
 *     and a blend of them has something to combine
 * @param heldOut stacking: this share of the training videos (the same for every run, by a hash of
 *     the id) is held out of the pre-training, pairwise and distill stages — they train on the
 *     other videos and the pairs among them — and a blend with the same {@code heldOut} trains only
 *     on the pairs among the held-out videos, whose embeddings its members computed without having
 *     seen them (default 0: off)
 * @param fold the fold left out, {@code 0 ≤ fold < folds} (default 0)
 * @param titles an {@code id,title} CSV ({@link TitlesFile}) of the videos' titles, or absent: with
 *     it the model gets a text stream — each title's sentence vector by {@code textModel}, zeros for
 *     a video without one — beside the visual and audio features (not for the blend stage, whose
 *     members bring their own)
 * @param textModel the sentence encoder of the titles (a {@code vidkit.text.TextModel} id; default
 *     {@code minilm-l6})
 * @param members the blend stage's trained similarity runs (at least two), else absent. A distill
 *     run's teacher and a blend's members are usually given on the command line ({@code --set}), so
 *     the shipped configs bind without them; training refuses to start without them.
 */
public record SimilarityConfig(String type, String data, Boolean frameLevel, Integer maxFrames, String pairs, String stage, Integer tags, Double focalGamma,
        Double layerDecay, Double tagWeight, Double distillWeight, SimilarityModelConfig model, SplitConfig split, OptimizerConfig optimizer,
        ScheduleConfig schedule, Integer epochs, Integer batchSize, Integer earlyStopping, Long seed, InitConfig init,
        TeacherConfig teacher, Integer folds, Integer fold, Double heldOut, String titles, String textModel, List<String> members) implements TaskConfig {
    public SimilarityConfig {
        type = type == null ? "similarity" : type;
        if (!type.equals("similarity")) {
            throw new IllegalArgumentException("type must be \"similarity\", got \"" + type + "\"");
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data: YouTube-8M video-level shards are required");
        }
        if (pairs == null || pairs.isBlank()) {
            throw new IllegalArgumentException("pairs: a directory from 'vidkit pairs make' is required");
        }
        frameLevel = frameLevel == null ? Boolean.FALSE : frameLevel;
        maxFrames = maxFrames == null ? 300 : maxFrames;
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be >= 1, got " + maxFrames);
        }
        stage = stage == null ? "pretrain" : stage.toLowerCase(Locale.ROOT);
        if (!List.of("pretrain", "pairwise", "distill", "blend").contains(stage)) {
            throw new IllegalArgumentException("stage must be pretrain, pairwise, distill or blend, got " + stage);
        }
        members = members == null ? List.of() : List.copyOf(members);
        if (!stage.equals("blend") && !members.isEmpty()) {
            throw new IllegalArgumentException("members: only the blend stage combines runs");
        }
        if (stage.equals("blend") && init != null) {
            throw new IllegalArgumentException("init: the blend stage starts from its members, not from a block");
        }
        tags = tags == null ? 1000 : tags;
        focalGamma = focalGamma == null ? 2.0 : focalGamma;
        layerDecay = layerDecay == null ? 1.0 : layerDecay;
        distillWeight = distillWeight == null ? 0.5 : distillWeight;
        tagWeight = tagWeight == null ? 0.0 : tagWeight;
        if (!(tagWeight >= 0) || (tagWeight > 0 && !(stage.equals("pairwise") || stage.equals("distill")))) {
            throw new IllegalArgumentException("tagWeight must be >= 0, and only the pairwise and distill stages add tags");
        }
        model = model == null ? SimilarityModelConfig.defaults() : model;
        if (!stage.equals("blend") && frameLevel != (model.pooling() != null)) {
            throw new IllegalArgumentException(frameLevel
                    ? "model.pooling: frame-level data needs a pooling of the frames, e.g. {\"type\": \"netvlad\", \"clusters\": 16}"
                    : "model.pooling pools frames: it needs frameLevel true (frame-level shards)");
        }
        split = split == null ? SplitConfig.defaults() : split;
        optimizer = optimizer == null ? OptimizerConfig.defaults() : optimizer;
        schedule = schedule == null ? ScheduleConfig.defaults() : schedule;
        epochs = epochs == null ? 10 : epochs;
        batchSize = batchSize == null ? 256 : batchSize;
        earlyStopping = earlyStopping == null ? 3 : earlyStopping;
        seed = seed == null ? 1L : seed;
        folds = folds == null ? 1 : folds;
        fold = fold == null ? 0 : fold;
        if (folds < 1 || fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("folds >= 1 and 0 <= fold < folds required, got folds " + folds + ", fold "
                    + fold);
        }
        heldOut = heldOut == null ? 0.0 : heldOut;
        if (!(heldOut >= 0 && heldOut <= 0.5)) {
            throw new IllegalArgumentException("heldOut must be in [0, 0.5], got " + heldOut);
        }
        if (folds > 1 && !(stage.equals("pairwise") || stage.equals("distill"))) {
            throw new IllegalArgumentException("folds: only the pairwise and distill stages train on a part of the pairs");
        }
        if (tags < 1 || focalGamma < 0 || !(layerDecay > 0 && layerDecay <= 1) || !(distillWeight >= 0 && distillWeight <= 1)
                || epochs < 1 || batchSize < 2 || earlyStopping < 0) {
            throw new IllegalArgumentException("tags >= 1, focalGamma >= 0, layerDecay in (0, 1], distillWeight in [0, 1], "
                    + "epochs >= 1, batchSize >= 2 and earlyStopping >= 0 required");
        }
        if (titles != null && titles.isBlank()) {
            titles = null;
        }
        if (titles != null && stage.equals("blend")) {
            throw new IllegalArgumentException("titles: the blend stage takes its members' embeddings, not titles");
        }
        textModel = vidkit.text.TextModel.of(textModel == null ? "minilm-l6" : textModel).id();
        if (!stage.equals("distill") && teacher != null) {
            throw new IllegalArgumentException("teacher: only the distill stage uses one");
        }
    }

    public static SimilarityConfig load(Path file, List<String> overrides) throws IOException {
        return Configs.bind(Configs.readTree(file, overrides), SimilarityConfig.class, Configs.source(file));
    }

    /** The videos of {@code spec} (this run's data, or other shards of the same level). */
    public vidkit.data.TaggingDataset loadData(String spec, java.io.PrintStream log) throws IOException {
        return vidkit.data.TaggingDataset.load(spec, frameLevel, maxFrames, null, false, log, null);
    }

    public Path pairsDir() {
        return Path.of(pairs);
    }
}
