package vidkit.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import vidkit.data.InvalidDataException;
import vidkit.data.Shards;

/**
 * A job's input files, listed on the driver and opened on executors through Hadoop's file systems.
 *
 * <p>A specification without a scheme is a local file, directory or glob, resolved exactly as the
 * single-JVM commands resolve it ({@link Shards#resolve}: a directory means its files matching the
 * default pattern; sorted by name); one with a scheme ({@code hdfs://nn/yt8m/train*.tfrecord},
 * {@code s3a://...}) is globbed by Hadoop and sorted by path. The list's order is the output's order.
 */
public final class InputFiles {
    private InputFiles() {}

    /** One input: its position in the sorted list, its URI and its size in bytes. */
    public record InputFile(int index, String uri, long bytes) implements Serializable {
        /** The name errors and reports use: the local path for {@code file:} URIs, else the URI. */
        public Path displayName() {
            return InputFiles.displayName(uri);
        }
    }

    /** The files of {@code spec}; {@code directoryGlob} is the pattern a bare directory stands for. */
    public static List<InputFile> list(String spec, String directoryGlob, Configuration conf) throws IOException {
        URI uri = schemeOf(spec);
        List<InputFile> out = new ArrayList<>();
        if (uri == null) {
            for (Path p : Shards.resolve(spec, directoryGlob)) {
                Path abs = p.toAbsolutePath().normalize();
                out.add(new InputFile(out.size(), abs.toUri().toString(), java.nio.file.Files.size(abs)));
            }
            return out;
        }
        org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(spec);
        FileSystem fs = pattern.getFileSystem(conf);
        FileStatus[] found = fs.globStatus(pattern);
        if (found != null && found.length == 1 && found[0].isDirectory()) {
            found = fs.globStatus(new org.apache.hadoop.fs.Path(found[0].getPath(), directoryGlob));
        }
        if (found == null || found.length == 0) {
            throw new InvalidDataException(displayName(spec), "matches no files");
        }
        Arrays.sort(found, Comparator.comparing(s -> s.getPath().toString()));
        for (FileStatus s : found) {
            if (s.isFile()) {
                out.add(new InputFile(out.size(), s.getPath().toUri().toString(), s.getLen()));
            }
        }
        if (out.isEmpty()) {
            throw new InvalidDataException(displayName(spec), "matches no files");
        }
        return out;
    }

    /** The URI of a spec with a scheme ({@code hdfs:}, {@code s3a:}, {@code file:}), or null for a local path. */
    static URI schemeOf(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 2 || spec.indexOf('/') < colon) {
            return null; // a plain path (a one-letter "scheme" would be a Windows drive)
        }
        try {
            return new URI(spec.substring(0, colon) + ":/x");
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** A file's name in errors: the local path for {@code file:} URIs, else the URI as a path-like name. */
    public static Path displayName(String uri) {
        if (uri.startsWith("file:")) {
            return Path.of(URI.create(uri));
        }
        return Path.of(uri);
    }

    /** Opens a file for streaming (any size: records are read as they come). */
    public static InputStream open(String uri, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(uri));
        return p.getFileSystem(conf).open(p, 1 << 20);
    }

    /** Reads a small file whole (a feature file, a checkpoint). */
    public static byte[] readAll(String uri, Configuration conf) throws IOException {
        try (InputStream in = open(uri, conf)) {
            return in.readAllBytes();
        }
    }
}
