package vidkit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code vidkit ARGS} in a new JVM, as {@code ./vidkit} runs it (one PyTorch thread, as the tests' JVM). */
final class VidkitProcess {
    private VidkitProcess() {}

    static Process start(Path log, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                "-Dai.djl.offline=true", "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"),
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dai.djl.pytorch.graph_optimizer=false", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
