package vidkit.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory of per-clip feature matrices ({@code ID.npy}, each {@code [frames, featureDim]}),
 * loaded into one dense array {@code [clips, frames, featureDim]} in sorted-id order.
 *
 * <p>Every file must have the same shape and dtype and hold finite values only; the first file
 * sets what the others must match.
 *
 * @param dir the directory read
 * @param ids clip ids (file stems) in sorted order
 * @param frames time steps per clip (T)
 * @param dim features per time step (D)
 * @param values {@code [clips, frames, dim]} in C order
 * @param sha256 hex SHA-256 over the sorted file names and bytes: the data fingerprint
 */
public record FeatureSet(Path dir, List<String> ids, int frames, int dim, float[] values, String sha256) {
    public FeatureSet {
        ids = List.copyOf(ids);
        if ((long) ids.size() * frames * dim != values.length) {
            throw new IllegalArgumentException("values length " + values.length + " != " + ids.size()
                    + " clips x " + frames + " frames x " + dim + " dims");
        }
    }

    /** Number of clips. */
    public int size() {
        return ids.size();
    }

    /** Loads every {@code .npy} file directly inside {@code dir}. */
    public static FeatureSet load(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new InvalidDataException(dir, "directory does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
        } catch (NotDirectoryException | NoSuchFileException e) {
            throw new InvalidDataException(dir, "not a directory");
        }
        if (files.isEmpty()) {
            throw new InvalidDataException(dir, "no .npy files (expected one ID.npy per clip)");
        }
        return of(dir, files, Files::readAllBytes);
    }

    /** Reads one file's bytes (a local file, or one a Spark executor opens on HDFS or S3). */
    public interface FileBytes {
        byte[] read(Path file) throws IOException;
    }

    /**
     * The clips of {@code files} ({@code ID.npy}, in the order given), their bytes read by {@code
     * bytes}: the same checks as {@link #load(Path)} (one shape and dtype, finite values); {@code dir}
     * names the set.
     */
    public static FeatureSet of(Path dir, List<Path> files, FileBytes bytesOf) throws IOException {
        if (files.isEmpty()) {
            throw new InvalidDataException(dir, "no .npy files (expected one ID.npy per clip)");
        }
        MessageDigest sha = newDigest();
        List<String> ids = new ArrayList<>(files.size());
        float[] values = null;
        int[] shape = null;
        NpyDtype dtype = null;
        Path first = null;
        int per = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            byte[] bytes = bytesOf.read(f);
            NpyArray a = Npy.parse(f, bytes);
            if (shape == null) {
                shape = a.shape();
                dtype = a.dtype();
                first = f;
                if (shape.length != 2 || shape[0] == 0 || shape[1] == 0) {
                    throw new InvalidDataException(f, "expected a 2-D [frames, featureDim] array, got shape "
                            + Arrays.toString(shape));
                }
                per = shape[0] * shape[1];
                values = new float[Math.multiplyExact(per, files.size())];
            } else if (!Arrays.equals(shape, a.shape())) {
                throw new InvalidDataException(f, "shape " + Arrays.toString(a.shape()) + " differs from "
                        + Arrays.toString(shape) + " of " + first.getFileName() + " (all clips must share one shape)");
            } else if (dtype != a.dtype()) {
                throw new InvalidDataException(f, "dtype " + a.dtype().descr() + " differs from "
                        + dtype.descr() + " of " + first.getFileName() + " (all clips must share one dtype)");
            }
            float[] v = a.asFloats();
            for (int j = 0; j < v.length; j++) {
                if (!Float.isFinite(v[j])) {
                    throw new InvalidDataException(f, "non-finite value " + v[j] + " at frame " + j / shape[1]
                            + ", feature " + j % shape[1] + " (features must be finite)");
                }
            }
            System.arraycopy(v, 0, values, i * per, per);
            String name = f.getFileName().toString();
            ids.add(name.substring(0, name.length() - 4));
            sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(bytes);
        }
        return new FeatureSet(dir, ids, shape[0], shape[1], values, HexFormat.of().formatHex(sha.digest()));
    }

    /** The clips at {@code indices}, in that order. */
    public FeatureSet select(int[] indices) {
        List<String> sub = new ArrayList<>(indices.length);
        for (int i : indices) {
            sub.add(ids.get(i));
        }
        return new FeatureSet(dir, sub, frames, dim, rows(indices), sha256);
    }

    /** The values of the clips at {@code indices}, in that order: {@code [indices.length, frames, dim]}. */
    public float[] rows(int... indices) {
        int per = frames * dim;
        float[] out = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, indices[i] * per, out, i * per, per);
        }
        return out;
    }

    /** A copy with {@code newValues} (same shape) in place of the values. */
    public FeatureSet withValues(float[] newValues) {
        return new FeatureSet(dir, ids, frames, dim, newValues, sha256);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
