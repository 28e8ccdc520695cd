package vidkit.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LocalMixKernelTest {
    @Test
    void rationalTanhIsWithinOneMillionthOfMathTanh() {
        double worst = 0;
        for (float x = -20f; x <= 20f; x += 1e-3f) {
            worst = Math.max(worst, Math.abs(LocalMixKernel.tanh(x) - Math.tanh(x)));
        }
        for (float x : new float[] {0f, -0f, 1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE, 7.9f, -7.9f}) {
            worst = Math.max(worst, Math.abs(LocalMixKernel.tanh(x) - Math.tanh(x)));
        }
        assertEquals(0, worst, 1e-6);
    }

    @Test
    void scoresMatchAHandComputedPair() {
        // one video, one audio, 2 frames, hidden 1, chunk 1: logit_t = w·tanh(vs+as) + b + vu·a
        float[] vs = {0.5f, -1f};
        float[] vu = {2f, 0f};
        float[] as = {0.25f, 0.5f};
        float[] a = {1f, 3f};
        float[] s = LocalMixKernel.scores(vs, vu, as, a, 1, 1, 2, 1, new float[] {1.5f}, -0.5f, 1, 1);
        double l0 = 1.5 * Math.tanh(0.75) - 0.5 + 2;
        double l1 = 1.5 * Math.tanh(-0.5) - 0.5;
        double expected = (1 / (1 + Math.exp(-l0)) + 1 / (1 + Math.exp(-l1))) / 2;
        assertEquals(expected, s[0], 1e-6);
    }
}
