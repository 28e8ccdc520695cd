package vidkit.media;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import vidkit.data.CorruptFileException;
import vidkit.data.FramedFile;
import vidkit.nn.SymmetricEigen;

/**
 * A whitening PCA, as YouTube-8M's feature pipeline applies before quantizing: {@code y = scale ⊙
 * (components · (x − mean))}, with {@code components} the top {@code outDim} eigenvectors of the
 * covariance of the rows it was fitted on ({@code [outDim, inDim]}, largest eigenvalue first) and
 * {@code scale_j = 1 / sqrt(λ_j + ε)}, ε = 10⁻³ × the mean eigenvalue (so that directions the data
 * barely uses are not blown up). Eigenvector signs are fixed so that each one's largest entry is
 * positive.
 */
public record Pca(int inDim, int outDim, float[] mean, float[] components, float[] scale) {
    public Pca {
        if (mean.length != inDim || components.length != (long) outDim * inDim || scale.length != outDim) {
            throw new IllegalArgumentException("a PCA of " + inDim + " -> " + outDim + " needs " + inDim + " means, "
                    + (long) outDim * inDim + " component values and " + outDim + " scales");
        }
    }

    /** Fits on {@code n} rows of {@code rows} ({@code [n, inDim]}). */
    public static Pca fit(float[] rows, int n, int inDim, int outDim) {
        if (n < 2 || outDim < 1 || outDim > inDim || rows.length < (long) n * inDim) {
            throw new IllegalArgumentException("a PCA of " + inDim + " -> " + outDim + " needs at least 2 rows of "
                    + inDim + ", got " + n);
        }
        double[] mean = new double[inDim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < inDim; d++) {
                mean[d] += rows[i * inDim + d];
            }
        }
        for (int d = 0; d < inDim; d++) {
            mean[d] /= n;
        }
        // the covariance X'X / (n − 1) of the centred rows, in float64 on the engine (n · d² multiply-adds)
        double[][] cov = new double[inDim][];
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray x = m.create(java.util.Arrays.copyOf(rows, n * inDim), new ai.djl.ndarray.types.Shape(n,
                    inDim)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).sub(m.create(mean));
            double[] c = x.transpose().matMul(x).div(n - 1).toDoubleArray();
            for (int a = 0; a < inDim; a++) {
                cov[a] = java.util.Arrays.copyOfRange(c, a * inDim, (a + 1) * inDim);
            }
        }
        for (int a = 0; a < inDim; a++) {
            for (int b = a + 1; b < inDim; b++) {
                cov[b][a] = cov[a][b]; // exactly symmetric for the eigen-solver
            }
        }
        SymmetricEigen e = SymmetricEigen.of(cov);
        double total = 0;
        for (double v : e.values()) {
            total += Math.max(v, 0);
        }
        double eps = 1e-3 * total / inDim + 1e-12;
        float[] components = new float[outDim * inDim];
        float[] scale = new float[outDim];
        for (int j = 0; j < outDim; j++) {
            double[] v = e.vectors()[j];
            int arg = 0;
            for (int d = 1; d < inDim; d++) {
                if (Math.abs(v[d]) > Math.abs(v[arg])) {
                    arg = d;
                }
            }
            double sign = v[arg] < 0 ? -1 : 1;
            for (int d = 0; d < inDim; d++) {
                components[j * inDim + d] = (float) (sign * v[d]);
            }
            scale[j] = (float) (1 / Math.sqrt(Math.max(e.values()[j], 0) + eps));
        }
        float[] m = new float[inDim];
        for (int d = 0; d < inDim; d++) {
            m[d] = (float) mean[d];
        }
        return new Pca(inDim, outDim, m, components, scale);
    }

    /** {@code [n, inDim]} → {@code [n, outDim]}. */
    public float[] apply(float[] rows, int n) {
        float[] out = new float[n * outDim];
        double[] x = new double[inDim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < inDim; d++) {
                x[d] = rows[i * inDim + d] - mean[d];
            }
            for (int j = 0; j < outDim; j++) {
                double s = 0;
                int base = j * inDim;
                for (int d = 0; d < inDim; d++) {
                    s += components[base + d] * x[d];
                }
                out[i * outDim + j] = (float) (s * scale[j]);
            }
        }
        return out;
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(inDim);
        out.writeInt(outDim);
        for (float[] a : new float[][] {mean, components, scale}) {
            for (float v : a) {
                out.writeFloat(v);
            }
        }
    }

    static Pca readFrom(DataInputStream in, Path file) throws IOException {
        int inDim = in.readInt();
        int outDim = in.readInt();
        if (inDim < 1 || outDim < 1 || outDim > inDim || (long) inDim * outDim > 64L << 20) {
            throw new CorruptFileException(file, "holds a PCA of " + inDim + " -> " + outDim + " dimensions");
        }
        float[][] a = {new float[inDim], new float[outDim * inDim], new float[outDim]};
        for (float[] arr : a) {
            for (int i = 0; i < arr.length; i++) {
                arr[i] = in.readFloat();
            }
        }
        return new Pca(inDim, outDim, a[0], a[1], a[2]);
    }

    /** The visual and audio PCAs of a yt8m export, in one framed file (magic, version, CRC32C). */
    public record Pair(Pca visual, Pca audio) {
        static final String MAGIC = "VKPCA001";
        static final int VERSION = 1;

        public void write(Path file) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                visual.writeTo(out);
                audio.writeTo(out);
            }
            FramedFile.write(file, MAGIC, VERSION, bytes.toByteArray());
        }

        public static Pair read(Path file) throws IOException {
            FramedFile f = FramedFile.read(file, MAGIC, VERSION);
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(f.payload()))) {
                return new Pair(readFrom(in, file), readFrom(in, file));
            } catch (java.io.EOFException e) {
                throw new CorruptFileException(file, "ends inside its PCA values");
            }
        }
    }
}
