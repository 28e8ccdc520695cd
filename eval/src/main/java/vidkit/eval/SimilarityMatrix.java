package vidkit.eval;

/**
 * A dense similarity matrix {@code [rows, cols]}, row-major: {@code values[r * cols + c]} is the
 * score of video {@code r} with audio {@code c}; higher means more alike.
 */
public record SimilarityMatrix(int rows, int cols, float[] values) {
    public SimilarityMatrix {
        if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) {
                throw new IllegalArgumentException("NaN score at row " + i / Math.max(1, cols) + ", column "
                        + i % Math.max(1, cols));
            }
        }
    }

    public float get(int r, int c) {
        return values[r * cols + c];
    }

    /** The transpose: rows audios, columns videos. */
    public SimilarityMatrix transpose() {
        float[] t = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = values[r * cols + c];
            }
        }
        return new SimilarityMatrix(cols, rows, t);
    }
}
