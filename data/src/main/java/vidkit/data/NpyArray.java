package vidkit.data;

import java.util.Arrays;

/**
 * An n-dimensional array read from or written to a {@code .npy} file, always held in C (row-major)
 * order. Floating and byte types are held as {@code float} values ({@link #floats()}); {@code int64}
 * is held exactly as {@code long} values ({@link #longs()}).
 *
 * @param shape the dimensions, outermost first
 * @param dtype the element type in the file
 * @param floats the values in C order for FLOAT32, FLOAT16 and UINT8; {@code null} for INT64
 * @param longs the values in C order for INT64; {@code null} otherwise
 */
public record NpyArray(int[] shape, NpyDtype dtype, float[] floats, long[] longs) {
    public NpyArray {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if ((dtype == NpyDtype.INT64) != (longs != null) || (floats == null) == (longs == null)) {
            throw new IllegalArgumentException("INT64 arrays hold longs, all others floats");
        }
        int length = floats != null ? floats.length : longs.length;
        if (length != n) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + length);
        }
    }

    /** A float32 array of the given shape over {@code values} (not copied). */
    public static NpyArray ofFloats(float[] values, int... shape) {
        return new NpyArray(shape, NpyDtype.FLOAT32, values, null);
    }

    /** An int64 array of the given shape over {@code values} (not copied). */
    public static NpyArray ofLongs(long[] values, int... shape) {
        return new NpyArray(shape, NpyDtype.INT64, null, values);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The values as floats; int64 values are converted (exact up to 2^24). */
    public float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] out = new float[longs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a
                && Arrays.equals(shape, a.shape)
                && dtype == a.dtype
                && Arrays.equals(floats, a.floats)
                && Arrays.equals(longs, a.longs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(floats) + Arrays.hashCode(longs);
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape) + " " + dtype;
    }
}
