package vidkit.data;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** Resolves a shard specification to a sorted list of files. */
public final class Shards {
    private Shards() {}

    /**
     * A file, a directory (its {@code *.tfrecord} files), or a glob in the file name ({@code
     * dir/train*.tfrecord}; the directory part is taken literally). Sorted by name; an empty result
     * is an error naming the pattern.
     */
    public static List<Path> resolve(String spec) throws IOException {
        return resolve(spec, "*.tfrecord");
    }

    /**
     * A file, a directory (its files matching {@code directoryGlob}, e.g. {@code *} for all), or a
     * glob in the file name; sorted by name; an empty result is an error naming the pattern.
     */
    public static List<Path> resolve(String spec, String directoryGlob) throws IOException {
        Path p = Path.of(spec);
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        Path dir;
        String glob;
        if (Files.isDirectory(p)) {
            dir = p;
            glob = directoryGlob;
        } else {
            dir = p.getParent() == null ? Path.of(".") : p.getParent();
            glob = p.getFileName().toString();
            if (!Files.isDirectory(dir)) {
                throw new InvalidDataException(p, "no such file or directory " + dir);
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> out = files.filter(f -> Files.isRegularFile(f) && matcher.matches(f.getFileName())).sorted().toList();
            if (out.isEmpty()) {
                throw new InvalidDataException(p, "no files match '" + glob + "' in " + dir);
            }
            return out;
        }
    }
}
