package vidkit.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import vidkit.core.Checkpoint;
import vidkit.core.CheckpointHeader;
import vidkit.core.Json;
import vidkit.core.ModelBlocks;
import vidkit.core.Provenance;
import vidkit.core.RunDirectory;
import vidkit.core.Task;
import vidkit.core.TaskConfig;
import vidkit.core.TaskRegistry;
import vidkit.core.TrainedModel;
import vidkit.core.TrainingJob;
import vidkit.core.TrainingState;
import vidkit.core.Validation;
import vidkit.data.AtomicFiles;
import vidkit.data.Split;

/**
 * The one training loop: runs any {@link Task} and records everything in a {@link RunDirectory}
 * (resolved config, provenance with parent runs, split, {@code metrics.csv}, TensorBoard events,
 * best and last checkpoints, the task's evaluation).
 *
 * <p>Reproducibility: the engine is seeded from the config's seed before the model is built; epoch
 * e reseeds the engine (dropout, noise) and a {@link Random} (shuffling, and whatever the task draws
 * in its loss) from {@code seed · 1000003 + e}, so the same seed and thread count give the same
 * metrics, and a run resumed from the checkpoint of epoch e continues exactly as the uninterrupted
 * run would have. The selection metric ({@link Validation#selection()}, higher is better) picks the
 * best checkpoint, feeds the plateau schedule and drives early stopping.
 *
 * <p>Runs on runs: the config's {@code init} copies one named block of another run's model into the
 * new model after it is built ({@link ModelBlocks#copy}, shapes checked); its {@code teacher} is
 * opened (frozen) before training and handed to the task. Both are written to the provenance's
 * {@code parentRuns}.
 */
public final class Trainer {
    private Trainer() {}

    /**
     * How to run.
     *
     * @param runs where new run directories go
     * @param command the command line, for provenance
     * @param out where lines go
     * @param stopAfterEpoch stop (resumably) once this many epochs are done, 0 = run to the end
     */
    public record Options(Path runs, String command, PrintStream out, int stopAfterEpoch) {
        public Options {
            if (stopAfterEpoch < 0) {
                throw new IllegalArgumentException("--stop-after-epoch must be >= 0, got " + stopAfterEpoch);
            }
        }

        public static Options of(Path runs, String command, PrintStream out) {
            return new Options(runs, command, out, 0);
        }
    }

    /**
     * What a run reports.
     *
     * @param evaluation the task's final evaluation, {@code null} when the run was stopped by request
     * @param epochsRun epochs trained in this call
     * @param stopped whether it stopped by request before its last epoch (resume it to go on)
     */
    public record Result<E>(RunDirectory run, E evaluation, int epochsRun, double samplesPerSecond, boolean stopped) {}

    /** Starts a new run of the task {@code config}'s {@code "type"} names. */
    public static Result<?> train(TaskConfig config, Options options) throws IOException {
        return train(taskOf(config), config, options);
    }

    /** Starts a new run of {@code task}. */
    public static <C extends TaskConfig, E> Result<E> train(Task<C, E> task, TaskConfig config, Options options)
            throws IOException {
        C typed = task.configType().cast(config);
        RunDirectory run = RunDirectory.create(options.runs(), task.runName(typed));
        return run(task, typed, run, null, options);
    }

    /** Continues {@code run} from its last complete checkpoint. */
    public static Result<?> resume(RunDirectory run, Options options) throws IOException {
        Checkpoint last = Checkpoint.read(run.lastCheckpoint());
        TaskConfig config = last.header().config();
        return resume(taskOf(config), config, run, last, options);
    }

    private static <C extends TaskConfig, E> Result<E> resume(Task<C, E> task, TaskConfig config, RunDirectory run,
            Checkpoint last, Options options) throws IOException {
        return run(task, task.configType().cast(config), run, last, options);
    }

    @SuppressWarnings("unchecked")
    private static <C extends TaskConfig> Task<C, ?> taskOf(TaskConfig config) throws IOException {
        return (Task<C, ?>) TaskRegistry.forType(config.type(), Path.of("config"));
    }

    private static <C extends TaskConfig, E> Result<E> run(Task<C, E> task, C config, RunDirectory run,
            Checkpoint resume, Options options) throws IOException {
        PrintStream out = options.out();
        Split stored = resume == null ? null : Split.read(run.splitDir());
        List<Provenance.ParentRun> parents = new ArrayList<>();
        TrainedModel teacher = null;
        try {
            if (config.teacher() != null) {
                RunDirectory teacherRun = RunDirectory.open(Path.of(config.teacher().run()));
                teacher = TaskRegistry.openInference(teacherRun);
                teacher.block().freezeParameters(true);
                parents.add(parent("teacher", teacherRun, teacher.checkpoint().file(), null, null));
            }
            TrainingJob<E> job = task.prepare(config, stored, resume, teacher, out);
            for (RunDirectory member : job.memberRuns()) {
                parents.add(parent("member", member, member.inferenceCheckpoint(), null, null));
            }
            try (NDManager root = NDManager.newBaseManager()) {
                seedEngine(config.seed());
                Block model = job.buildModel(root);
                if (resume == null && config.init() != null) {
                    RunDirectory source = RunDirectory.open(Path.of(config.init().run()));
                    try (TrainedModel from = TaskRegistry.openInference(source)) {
                        ModelBlocks.copy(from.block(), source.path(), config.init().block(), model, run.path().toString(),
                                config.init().into());
                        parents.add(parent("init", source, from.checkpoint().file(), config.init().block(),
                                config.init().into()));
                    }
                    out.printf("  block %s initialized from %s (its %s)%n", config.init().into(), source.path(),
                            config.init().block());
                }
                if (config.init() != null && config.init().freeze()) {
                    ModelBlocks.freeze(model, config.init().into()); // before the optimizer sees the parameters
                }
                if (resume == null) {
                    AtomicFiles.writeString(run.config(), Json.MAPPER.writeValueAsString(config));
                    AtomicFiles.writeString(run.provenance(), Json.MAPPER.writeValueAsString(Provenance.capture(
                            config.seed(), job.dataPath(), job.dataFingerprint(), options.command(), parents)));
                    job.split().write(run.splitDir());
                }
                return job.fitsInClosedForm() ? fitClosedForm(job, config, model, root, run, out)
                        : loop(job, config, model, root, run, resume, options);
            }
        } finally {
            if (teacher != null) {
                teacher.close();
            }
        }
    }

    private static Provenance.ParentRun parent(String role, RunDirectory run, Path checkpoint, String block,
            String into) throws IOException {
        String commit = null;
        if (Files.exists(run.provenance())) {
            JsonNode p = Json.MAPPER.readTree(run.provenance().toFile());
            commit = p.path("gitCommit").asText(null);
        }
        return new Provenance.ParentRun(role, run.path().toAbsolutePath().normalize().toString(),
                checkpoint.toAbsolutePath().normalize().toString(), block, into, commit);
    }

    private static CheckpointHeader header(TaskConfig config, TrainingState state, TrainingJob<?> job) {
        return new CheckpointHeader(Provenance.version(), config, state, job.state());
    }

    /** A closed-form model: fitted once, validated, checkpointed as epoch 1 (best and last), evaluated. */
    private static <E> Result<E> fitClosedForm(TrainingJob<E> job, TaskConfig config, Block model, NDManager root,
            RunDirectory run, PrintStream out) throws IOException {
        long start = System.nanoTime();
        String fitted = job.fitClosedForm(root);
        double seconds = (System.nanoTime() - start) / 1e9;
        double samplesPerSecond = job.trainingSize() / seconds;
        Validation validation = job.validate();
        EpochRecord record = new EpochRecord(0, 0, 0, validation, 0, samplesPerSecond, seconds, true);
        new MetricsCsvListener(run, List.of()).epochFinished(record);
        LearningRateSchedule schedule = new LearningRateSchedule(config.schedule(), config.optimizer().learningRate(),
                config.epochs());
        CheckpointHeader h = header(config, new TrainingState(0, schedule.state(), validation.selected(), 0, 0), job);
        Checkpoint.write(run.bestCheckpoint(), h, model, null);
        Checkpoint.write(run.lastCheckpoint(), h, model, null);
        out.printf(java.util.Locale.ROOT, "fitted in %.1f s: %s; %s%n", seconds, fitted, validation.summary());
        return new Result<>(run, job.evaluate(run, out), 1, samplesPerSecond, false);
    }

    private static <E> Result<E> loop(TrainingJob<E> job, TaskConfig config, Block model, NDManager root, RunDirectory run,
            Checkpoint resume, Options options) throws IOException {
        PrintStream out = options.out();
        AdamOptimizer optimizer = new AdamOptimizer(config.optimizer(), model, root, job::learningRateMultiplier);
        LearningRateSchedule schedule = new LearningRateSchedule(config.schedule(), config.optimizer().learningRate(),
                config.epochs());
        int startEpoch = 0;
        double best = -Double.MAX_VALUE;
        int bestEpoch = -1;
        int stale = 0;
        if (resume != null) {
            TrainingState s = resume.header().training();
            resume.loadParameters(model, root);
            try (DataInputStream in = resume.openOptimizerState()) {
                optimizer.loadState(in);
            }
            schedule.restore(s.schedule());
            startEpoch = s.epoch() + 1;
            best = s.bestMetric();
            bestEpoch = s.bestEpoch();
            stale = s.epochsWithoutImprovement();
            out.printf("  resuming after epoch %d (best validation %.4f at epoch %d)%n", startEpoch, best, bestEpoch + 1);
        }
        // what killed launches of this run left: temporaries of metrics.csv and of the checkpoints (once per launch)
        vidkit.data.AtomicFiles.sweepStaleIn(run.path(), ".tmp");
        vidkit.data.AtomicFiles.sweepStaleIn(run.lastCheckpoint().getParent(), ".tmp");
        List<TrainingListener> listeners = List.of(new MetricsCsvListener(run, run.metricsLines(startEpoch)),
                new TensorBoardListener(TensorBoardLog.open(run)), new ProgressListener(), new ConsoleListener(out));
        ParameterStore ps = new ParameterStore(root, false);
        int batch = Math.min(config.batchSize(), job.trainingSize());
        int batches = job.trainingSize() / batch;
        double samplesPerSecond = 0;
        boolean stopped = false;
        int epoch = startEpoch;
        try {
            for (; epoch < config.epochs(); epoch++) {
                double lr = schedule.rate(epoch);
                long seed = config.seed() * 1_000_003L + epoch;
                seedEngine(seed);
                Random random = new Random(seed);
                int[] order = permutation(job.trainingSize(), random);
                for (TrainingListener l : listeners) {
                    l.epochStarted(epoch, config.epochs(), batches);
                }
                double lossSum = 0;
                double normSum = 0;
                long start = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    try (NDManager bm = root.newSubManager(); NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        int[] idx = Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
                        NDArray loss;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            loss = job.loss(ps, bm, idx, random);
                            gc.backward(loss);
                        }
                        float lv = loss.getFloat();
                        if (!Float.isFinite(lv)) {
                            throw new IllegalStateException("loss became " + lv + " at epoch " + (epoch + 1) + ", batch "
                                    + (b + 1) + ": lower optimizer.learningRate");
                        }
                        optimizer.step(lr);
                        lossSum += lv;
                        normSum += optimizer.lastGradientNorm();
                        for (TrainingListener l : listeners) {
                            l.stepFinished((long) epoch * batches + b + 1, lv, lossSum / (b + 1), lr);
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                samplesPerSecond = (double) batches * batch / seconds;
                Validation validation = job.validate();
                double metric = validation.selected();
                schedule.observe(metric);
                boolean improved = metric > best;
                if (improved) {
                    best = metric;
                    bestEpoch = epoch;
                    stale = 0;
                } else {
                    stale++;
                }
                // the epoch's record (metrics.csv, events) before its checkpoint: a crash between the two then
                // leaves an extra line that the resume, starting from the previous checkpoint, truncates and
                // writes again — the other order lost the line for good (found by killing training with SIGKILL)
                EpochRecord record = new EpochRecord(epoch, lr, batches == 0 ? 0 : lossSum / batches, validation,
                        batches == 0 ? 0 : normSum / batches, samplesPerSecond, seconds, improved);
                for (TrainingListener l : listeners) {
                    l.epochFinished(record);
                }
                CheckpointHeader h = header(config, new TrainingState(epoch, schedule.state(), best, bestEpoch, stale), job);
                if (improved) {
                    Checkpoint.write(run.bestCheckpoint(), h, model, null);
                }
                Checkpoint.write(run.lastCheckpoint(), h, model, optimizer::writeState);
                if (config.earlyStopping() > 0 && stale >= config.earlyStopping()) {
                    out.printf("  early stop: no better validation %s for %d epochs%n", validation.selection(), stale);
                    epoch++;
                    break;
                }
                if (options.stopAfterEpoch() > 0 && epoch + 1 >= options.stopAfterEpoch() && epoch + 1 < config.epochs()) {
                    out.printf("  stopped after epoch %d as asked; continue with: vidkit train --resume %s%n", epoch + 1,
                            run.path());
                    epoch++;
                    stopped = true;
                    break;
                }
            }
        } finally {
            for (TrainingListener l : listeners) {
                l.trainingFinished();
            }
        }
        E evaluation = stopped ? null : job.evaluate(run, out);
        return new Result<>(run, evaluation, epoch - startEpoch, samplesPerSecond, stopped);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates from the end). */
    public static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Seeds the engine's generator (initialization, dropout, noise). */
    public static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }
}
