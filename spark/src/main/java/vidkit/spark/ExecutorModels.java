package vidkit.spark;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;

/**
 * Models held once per executor JVM: the first task that needs a checkpoint loads it (from the bytes
 * the driver broadcast), later tasks in the same JVM share it (inference is safe from several
 * threads: each call has its own NDManager). A lazy holder, not a static initializer, so a JVM
 * loads only what its tasks ask for, and a failed load is retried by the next task.
 *
 * <p>Before the first model, PyTorch is set up for an executor: offline (natives from the
 * {@code pytorch-native-cpu} jar on the classpath, never downloaded), a writable cache directory
 * when none is set ({@code java.io.tmpdir}/vidkit-djl), and intra-op threads = {@code
 * spark.task.cpus} (one task per core slot; more would oversubscribe the executor's cores).
 */
public final class ExecutorModels {
    private static final ConcurrentHashMap<String, Object> MODELS = new ConcurrentHashMap<>();

    /** Loads a model; may throw what reading and restoring a checkpoint throw. */
    public interface Loader<T> {
        T load() throws Exception;
    }

    private ExecutorModels() {}

    /** The model under {@code key} (say, the checkpoint's SHA-256), loaded on first use in this JVM. */
    @SuppressWarnings("unchecked")
    public static <T> T get(String key, Loader<T> loader) {
        configureEngine(taskCpus());
        return (T) MODELS.computeIfAbsent(key, k -> {
            try {
                long t0 = System.nanoTime();
                T model = loader.load();
                System.err.printf(java.util.Locale.ROOT, "vidkit spark: loaded %s in this JVM (pid %d) in %.1f s; PyTorch "
                        + "intra-op threads %s%n", k, ProcessHandle.current().pid(), (System.nanoTime() - t0) / 1e9,
                        torchThreads());
                return model;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("could not load model " + k + ": " + e.getMessage(), e);
            }
        });
    }

    /** PyTorch's intra-op thread count, when its engine is running here. */
    static String torchThreads() {
        try {
            return Integer.toString(ai.djl.pytorch.jni.JniUtils.getNumThreads());
        } catch (RuntimeException | LinkageError e) {
            return "n/a";
        }
    }

    /** How many models this JVM holds (for tests: one per checkpoint, however many tasks ran). */
    public static int loaded() {
        return MODELS.size();
    }

    /** {@code spark.task.cpus} of the running task (1 outside a task). */
    static int taskCpus() {
        TaskContext t = TaskContext.get();
        return t == null ? 1 : Math.max(1, t.cpus());
    }

    /**
     * Sets PyTorch's defaults for a job's JVM unless the user set them: offline, a writable cache, and
     * {@code cpus} intra-op threads (1 inter-op thread). Takes effect only before the engine starts.
     */
    public static synchronized void configureEngine(int cpus) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(cpus));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", System.getProperty("java.io.tmpdir") + "/vidkit-djl");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
