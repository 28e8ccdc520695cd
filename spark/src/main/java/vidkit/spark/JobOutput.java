package vidkit.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import vidkit.data.InvalidDataException;

/**
 * A job's output directory, committed atomically. Everything is first written under {@code
 * OUT/_partial-APP/} (Spark's Parquet with its own task and job commit, the driver's CSV and library
 * files); only when all of it is written are the items renamed into {@code OUT/}, and {@code
 * OUT/job.json} is written last (to a temporary name, then renamed). So: an item in {@code OUT/} is
 * never partial, and {@code OUT} is a finished job's output exactly when {@code job.json} exists. A
 * failed or killed driver leaves only a {@code _partial-*} directory (names starting with {@code _}
 * are ignored by Spark's and Hadoop's readers), removed by the next run into the same directory.
 * Renames are atomic on local file systems and HDFS; object stores (S3) copy instead — there a
 * reader must wait for {@code job.json}.
 */
final class JobOutput {
    static final String REPORT = "job.json";
    private final FileSystem fs;
    private final Path dir;
    private final Path partial;

    private JobOutput(FileSystem fs, Path dir, Path partial) {
        this.fs = fs;
        this.dir = dir;
        this.partial = partial;
    }

    /** The directory of {@code spec} (a local path or a URI), as a Hadoop path. */
    static Path pathOf(String spec) {
        if (InputFiles.schemeOf(spec) == null) {
            return new Path(java.nio.file.Path.of(spec).toAbsolutePath().normalize().toUri());
        }
        return new Path(URI.create(spec));
    }

    /**
     * Starts writing into {@code spec}: refuses a directory that holds a finished job's output unless
     * {@code overwrite}, and clears partial output of earlier, unfinished runs.
     */
    static JobOutput begin(String spec, Configuration conf, boolean overwrite, String appId) throws IOException {
        Path dir = pathOf(spec);
        FileSystem fs = dir.getFileSystem(conf);
        fs.setWriteChecksum(false);
        if (fs.exists(new Path(dir, REPORT)) && !overwrite) {
            throw new InvalidDataException(java.nio.file.Path.of(spec), "holds the output of a finished job ("
                    + REPORT + "); pass --overwrite to replace it");
        }
        if (fs.exists(dir)) {
            for (var s : fs.listStatus(dir)) {
                if (s.getPath().getName().startsWith("_partial-")) {
                    fs.delete(s.getPath(), true);
                }
            }
        }
        Path partial = new Path(dir, "_partial-" + appId.replaceAll("[^A-Za-z0-9_.-]", "_"));
        fs.mkdirs(partial);
        return new JobOutput(fs, dir, partial);
    }

    /** Where an item goes before the commit (for Spark's writers). */
    String partialUri(String name) {
        return new Path(partial, name).toUri().toString();
    }

    /** The final location of an item. */
    String finalUri(String name) {
        return new Path(dir, name).toUri().toString();
    }

    /** Whether the final item is on the local file system (then a local {@link java.nio.file.Path}). */
    java.nio.file.Path localPartial(String name) {
        URI u = new Path(partial, name).toUri();
        return "file".equals(u.getScheme()) ? java.nio.file.Path.of(u) : null;
    }

    /** Writes an item of the output (before the commit). */
    void write(String name, Writer writer) throws IOException {
        try (OutputStream out = fs.create(new Path(partial, name), true)) {
            writer.write(out);
        }
    }

    /** Writes an item with code that writes local files (a library): directly, or locally then copied up. */
    void writeLocal(String name, LocalWriter writer) throws IOException {
        java.nio.file.Path local = localPartial(name);
        if (local != null) {
            writer.write(local);
            return;
        }
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("vidkit-spark").resolve(name);
        try {
            writer.write(tmp);
            fs.copyFromLocalFile(true, true, new Path(tmp.toUri()), new Path(partial, name));
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
            java.nio.file.Files.deleteIfExists(tmp.getParent());
        }
    }

    interface LocalWriter {
        void write(java.nio.file.Path file) throws IOException;
    }

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Moves the items into place, then writes {@code job.json}; removes the partial directory. */
    void commit(List<String> items, byte[] report) throws IOException {
        fs.delete(new Path(dir, REPORT), false);
        for (String name : items) {
            Path target = new Path(dir, name);
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(new Path(partial, name), target)) {
                throw new IOException("could not move " + new Path(partial, name) + " to " + target);
            }
        }
        Path tmp = new Path(partial, REPORT);
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(report);
        }
        if (!fs.rename(tmp, new Path(dir, REPORT))) {
            throw new IOException("could not move " + tmp + " to " + new Path(dir, REPORT));
        }
        fs.delete(partial, true);
    }

    /** Discards everything written (a failed job). */
    void abort() {
        try {
            fs.delete(partial, true);
        } catch (IOException e) {
            // best effort: the next run into this directory removes it
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
