package vidkit.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on 127.0.0.1 made of real processes: one master and {@code n} workers
 * (each offering {@code coresPerWorker} cores, so each runs one executor JVM per application), and
 * jobs submitted through {@code SparkSubmit} in client mode. Spark's jars come from vidkit's build
 * ({@code spark/target/spark/jars}, used as {@code SPARK_HOME}), vidkit's from {@code
 * spark/target/lib}; no Spark installation is involved. Used by the cluster tests and {@code vidkit
 * spark bench}.
 */
public final class LocalCluster implements AutoCloseable {
    /** The JVM options every vidkit JVM needs (driver and executors). */
    public static final String JAVA_OPTIONS = "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED "
            + "-Dai.djl.offline=true";
    private final Path sparkHome;
    private final Path vidkitJar;
    private final Path vidkitLib;
    private final Path work;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final int masterPort;
    private final int masterUiPort;

    private LocalCluster(Path sparkHome, Path vidkitJar, Path vidkitLib, Path work, Process master, int masterPort,
            int masterUiPort) {
        this.sparkHome = sparkHome;
        this.vidkitJar = vidkitJar;
        this.vidkitLib = vidkitLib;
        this.work = work;
        this.master = master;
        this.masterPort = masterPort;
        this.masterUiPort = masterUiPort;
    }

    /**
     * Starts a master and {@code workers} workers, and waits until all have registered.
     *
     * @param sparkTarget the spark module's {@code target} directory (vidkit-spark.jar, lib/, spark/jars/)
     * @param work where the processes log and the workers keep their executors' directories
     */
    public static LocalCluster start(Path sparkTarget, int workers, int coresPerWorker, String workerMemory, Path work)
            throws IOException, InterruptedException {
        Path home = sparkTarget.resolve("spark").toAbsolutePath();
        if (!Files.isDirectory(home.resolve("jars"))) {
            throw new IOException(home.resolve("jars") + " is missing: build the spark module (mvn package)");
        }
        Files.createDirectories(work);
        int port = freePort();
        int ui = freePort();
        Process master = java(home, work.resolve("master.log"), List.of("-Xmx512m"), "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(ui)));
        LocalCluster c = new LocalCluster(home, sparkTarget.resolve("vidkit-spark.jar").toAbsolutePath(),
                sparkTarget.resolve("lib").toAbsolutePath(), work, master, port, ui);
        try {
            c.awaitPort(port, Duration.ofSeconds(60));
            for (int i = 0; i < workers; i++) {
                c.addWorker(coresPerWorker, workerMemory);
            }
            c.awaitWorkers(workers, Duration.ofSeconds(60));
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Starts one more worker (it registers with the master within seconds). */
    public Process addWorker(int cores, String memory) throws IOException {
        int i = workers.size();
        Path dir = work.resolve("worker-" + i);
        Files.createDirectories(dir);
        Process p = java(sparkHome, work.resolve("worker-" + i + ".log"), List.of("-Xmx256m"),
                "org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1", "--cores", Integer.toString(cores),
                        "--memory", memory, "--webui-port", Integer.toString(freePort()), "--work-dir", dir.toString(),
                        masterUrl()));
        workers.add(p);
        return p;
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The worker processes, in start order. */
    public List<Process> workers() {
        return List.copyOf(workers);
    }

    /** The executor JVMs a worker has launched (its child processes). */
    public static List<ProcessHandle> executorsOf(Process worker) {
        return worker.toHandle().children().filter(h -> h.info().commandLine().orElse("")
                .contains("CoarseGrainedExecutorBackend")).toList();
    }

    /** Every executor's stderr (under the workers' directories), concatenated. */
    public String executorLogs() throws IOException {
        StringBuilder b = new StringBuilder();
        try (var s = Files.walk(work)) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList()) {
                b.append("== ").append(p).append('\n').append(Files.readString(p));
            }
        }
        return b.toString();
    }

    /**
     * Submits {@code vidkit spark ARGS} in client mode (the driver in a new JVM) with {@code
     * executors} one-core executors; returns the running {@code spark-submit} process, logging to
     * {@code log}. vidkit's jars reach the executors by {@code spark.executor.extraClassPath} (this
     * machine's files; a real cluster ships them with {@code --jars}).
     */
    public Process submit(int executors, Map<String, String> conf, Path log, List<String> args) throws IOException {
        String vidkitClassPath = vidkitJar + ":" + vidkitLib + "/*";
        String djlCache = System.getProperty("DJL_CACHE_DIR", System.getProperty("java.io.tmpdir") + "/vidkit-djl");
        List<String> submit = new ArrayList<>(List.of("--master", masterUrl(), "--deploy-mode", "client",
                "--class", SparkMain.class.getName(),
                "--conf", "spark.cores.max=" + executors, "--conf", "spark.executor.cores=1",
                "--conf", "spark.executor.memory=2g",
                "--conf", "spark.executor.extraClassPath=" + vidkitClassPath,
                "--conf", "spark.executor.extraJavaOptions=" + JAVA_OPTIONS + " -DDJL_CACHE_DIR=" + djlCache,
                "--conf", "spark.ui.enabled=false"));
        for (var e : conf.entrySet()) {
            submit.addAll(List.of("--conf", e.getKey() + "=" + e.getValue()));
        }
        submit.add(vidkitJar.toString());
        submit.addAll(args);
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g", "-DDJL_CACHE_DIR=" + djlCache));
        jvm.addAll(List.of(JAVA_OPTIONS.split(" ")));
        if (System.getProperty("vidkit.models") != null) {
            jvm.add("-Dvidkit.models=" + System.getProperty("vidkit.models"));
        }
        return java(sparkHome, log, jvm, "org.apache.spark.deploy.SparkSubmit", submit, vidkitClassPath);
    }

    private static Process java(Path home, Path log, List<String> jvmOptions, String main, List<String> args,
            String... extraClassPath) throws IOException {
        String javaHome = System.getProperty("java.home");
        List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        String cp = home.resolve("jars") + "/*";
        for (String e : extraClassPath) {
            cp = e + ":" + cp;
        }
        cmd.addAll(List.of("-cp", cp, main));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().remove("SPARK_CONF_DIR");
        return pb.start();
    }

    private void awaitPort(int port, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!master.isAlive()) {
                throw new IOException("the Spark master exited: see " + work.resolve("master.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException("the Spark master did not open port " + port + " within " + limit);
    }

    /** Waits until the master lists {@code n} alive workers. */
    public void awaitWorkers(int n, Duration limit) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                var json = vidkit.core.Json.MAPPER.readTree(last);
                if (json.path("aliveworkers").asInt() >= n) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IOException(n + " workers did not register within " + limit + ": " + last);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops everything: executors, workers, master (forcibly; they hold no state worth keeping). */
    @Override
    public void close() {
        for (Process w : workers) {
            w.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
        for (Process w : workers) {
            try {
                w.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
