package vidkit.serve;

/**
 * Correctly rounded decimal → float32 conversion of JSON numbers, fast for the usual case.
 *
 * <p>Clinger's fast path: when the decimal's digits form an integer {@code m < 2^53} and its power
 * of ten {@code e} has {@code |e| ≤ 22}, both are exact doubles, so {@code m·10^e} (or {@code m /
 * 10^-e}) is the correctly rounded double {@code d} of the decimal. Rounding {@code d} to float gives
 * the correctly rounded float unless {@code d} lies exactly halfway between two floats (the decimal
 * cannot lie on the other side of a midpoint than its nearest double, since every float midpoint is
 * a double). Those halfway cases, and every number outside the fast path, go to {@link
 * Float#parseFloat}. So the result always equals {@code Float.parseFloat} (tested on random and
 * constructed halfway inputs).
 */
final class FastFloat {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private FastFloat() {}

    /** The float of the JSON number that is all of {@code chars[offset, offset + length)}; else {@link Float#parseFloat}'s. */
    static float parse(byte[] chars, int offset, int length) {
        float[] out = new float[1];
        int end = parse(chars, offset, offset + length, out, 0);
        return end == offset + length ? out[0] : slow(chars, offset, length);
    }

    /**
     * Reads one JSON number ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, at most 64
     * characters) starting at {@code from}, in one pass that checks the grammar and gathers the
     * digits; writes its float to {@code out[at]} and returns the position after it, or -1 (nothing
     * written) when no JSON number starts there.
     */
    static int parse(byte[] b, int from, int limit, float[] out, int at) {
        int i = from;
        boolean negative = false;
        if (i < limit && b[i] == '-') {
            negative = true;
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean exact = true; // false once a significant digit did not fit
        if (i < limit && b[i] == '0') {
            i++;
        } else if (i < limit && b[i] >= '1' && b[i] <= '9') {
            for (; i < limit && b[i] >= '0' && b[i] <= '9'; i++) {
                if (digits < 18) {
                    mantissa = 10 * mantissa + (b[i] - '0');
                    digits++;
                } else {
                    exact = false;
                }
            }
        } else {
            return -1;
        }
        if (i < limit && b[i] == '.') {
            i++;
            if (!(i < limit && b[i] >= '0' && b[i] <= '9')) {
                return -1;
            }
            for (; i < limit && b[i] >= '0' && b[i] <= '9'; i++) {
                if (mantissa == 0 && b[i] == '0') {
                    exponent--; // leading zeros of a fraction are not significant
                } else if (digits < 18) {
                    mantissa = 10 * mantissa + (b[i] - '0');
                    digits++;
                    exponent--;
                } else {
                    exact = false;
                }
            }
        }
        if (i < limit && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < limit && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            if (!(i < limit && b[i] >= '0' && b[i] <= '9')) {
                return -1;
            }
            int e = 0;
            for (; i < limit && b[i] >= '0' && b[i] <= '9'; i++) {
                if (e < 100_000) {
                    e = 10 * e + (b[i] - '0');
                }
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i - from > 64) {
            return -1; // longer than any float needs, and than the JSON reader accepts elsewhere
        }
        float f;
        if (mantissa == 0 && exact) {
            f = negative ? -0f : 0f;
        } else if (!exact || mantissa >= (1L << 53) || exponent < -22 || exponent > 22) {
            f = slow(b, from, i - from);
        } else {
            double d = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
            f = isFloatMidpoint(d) ? slow(b, from, i - from) : negative ? (float) -d : (float) d;
        }
        out[at] = f;
        return i;
    }

    /**
     * Whether {@code d} lies exactly halfway between two adjacent floats: a normal-range double whose
     * bits below float precision are exactly the half. (Subnormal floats and overflow are sent to the
     * slow path by the magnitude check.)
     */
    static boolean isFloatMidpoint(double d) {
        double a = Math.abs(d);
        if (a < Float.MIN_NORMAL || a > Float.MAX_VALUE) {
            return true; // not the common case: let the exact parser decide
        }
        long bits = Double.doubleToRawLongBits(d);
        return (bits & 0x1FFFFFFFL) == 0x10000000L;
    }

    private static float slow(byte[] chars, int offset, int length) {
        return Float.parseFloat(new String(chars, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
