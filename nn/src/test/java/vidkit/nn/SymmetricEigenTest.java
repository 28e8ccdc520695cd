package vidkit.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    @Test
    void twoByTwoWorkedExample() {
        // [[2, 1], [1, 2]]: characteristic polynomial (2 - λ)² - 1 = 0 → λ = 3 with (1, 1)/√2, λ = 1 with (1, -1)/√2
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        assertArrayEquals(new double[] {3, 1}, e.values(), 1e-12);
        double r = Math.sqrt(0.5);
        double[] v0 = e.vectors()[0];
        double[] v1 = e.vectors()[1];
        assertEquals(r, Math.abs(v0[0]), 1e-12);
        assertEquals(v0[0], v0[1], 1e-12);
        assertEquals(r, Math.abs(v1[0]), 1e-12);
        assertEquals(v1[0], -v1[1], 1e-12);
    }

    @Test
    void diagonalMatrixGivesItsDiagonalSortedDescending() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{1, 0, 0}, {0, 5, 0}, {0, 0, -2}});
        assertArrayEquals(new double[] {5, 1, -2}, e.values(), 1e-12);
        assertEquals(1, Math.abs(e.vectors()[0][1]), 1e-12);
        assertEquals(1, Math.abs(e.vectors()[2][2]), 1e-12);
    }

    @Test
    void randomSymmetricMatricesAreReconstructed() {
        Random random = new Random(3);
        for (int n : new int[] {1, 2, 7, 60, 150}) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = a[j][i] = random.nextGaussian();
                }
            }
            if (n > 3) {
                a[1] = a[0].clone(); // a rank-deficient, repeated structure
                for (int i = 0; i < n; i++) {
                    a[i][1] = a[i][0];
                }
                a[1][1] = a[0][0];
            }
            SymmetricEigen e = SymmetricEigen.of(a);
            double[] values = e.values();
            double[][] v = e.vectors();
            double trace = 0;
            for (int i = 0; i < n; i++) {
                trace += a[i][i];
            }
            assertEquals(trace, java.util.Arrays.stream(values).sum(), 1e-9 * n);
            for (int i = 1; i < n; i++) {
                assertTrue(values[i] <= values[i - 1], "descending order");
            }
            for (int p = 0; p < n; p++) {
                for (int q = 0; q < n; q++) {
                    double dot = 0;
                    for (int k = 0; k < n; k++) {
                        dot += v[p][k] * v[q][k];
                    }
                    assertEquals(p == q ? 1 : 0, dot, 1e-10, "orthonormal eigenvectors " + p + ", " + q);
                }
                for (int i = 0; i < n; i++) { // (A v)_i = λ v_i
                    double av = 0;
                    for (int k = 0; k < n; k++) {
                        av += a[i][k] * v[p][k];
                    }
                    assertEquals(values[p] * v[p][i], av, 1e-9, "A v = λ v for n = " + n);
                }
            }
        }
    }

    @Test
    void rejectsNonSymmetricNonSquareAndNaN() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{Double.NaN}}));
    }
}
