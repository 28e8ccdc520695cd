package vidkit.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real media for the tests, made with Debian's ffmpeg from real photographs ({@code darknet}) and
 * recorded sounds ({@code sound-theme-freedesktop}) and speech ({@code espeak-ng}); {@code
 * ./run-tests} installs those packages. A missing one fails the test with the command that installs it.
 */
public final class MediaFixtures {
    public static final Path PHOTOS = Path.of("/usr/share/darknet/data");
    public static final Path SOUNDS = Path.of("/usr/share/sounds/freedesktop/stereo");

    private MediaFixtures() {}

    public static void requireTools() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(Path.of("/usr/bin/ffmpeg"))) {
            missing.add("ffmpeg");
        }
        if (!Files.exists(PHOTOS.resolve("eagle.jpg"))) {
            missing.add("darknet");
        }
        if (!Files.exists(SOUNDS.resolve("bell.oga"))) {
            missing.add("sound-theme-freedesktop");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/espeak-ng"))) {
            missing.add("espeak-ng");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the media tests need Debian packages " + missing + ": apt-get install "
                    + "--no-install-recommends " + String.join(" ", missing) + " (./run-tests installs them)");
        }
    }

    public static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    /**
     * A clip of {@code seconds} showing {@code photo} with {@code sound} (looped, cut to length;
     * {@code null}: no audio stream), encoded with the given codec arguments into {@code out}.
     */
    public static Path clip(Path out, String photo, String sound, double seconds, String... codec) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-loop", "1",
                "-framerate", "25", "-t", Double.toString(seconds), "-i", PHOTOS.resolve(photo).toString()));
        if (sound != null) {
            cmd.addAll(List.of("-stream_loop", "-1", "-t", Double.toString(seconds), "-i", sound));
        }
        cmd.addAll(List.of("-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p"));
        cmd.addAll(List.of(codec));
        cmd.addAll(List.of("-t", Double.toString(seconds), out.toString()));
        run(cmd.toArray(String[]::new));
        return out;
    }

    public static String sound(String name) {
        return SOUNDS.resolve(name).toString();
    }

    /** Speech from espeak-ng as a WAV file. */
    public static String speech(Path dir, String text) throws Exception {
        Path wav = dir.resolve("speech.wav");
        run("espeak-ng", "-w", wav.toString(), text);
        return wav.toString();
    }
}
