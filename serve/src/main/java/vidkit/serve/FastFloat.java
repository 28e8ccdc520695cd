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

    /** The float of the JSON number in {@code chars[offset, offset + length)} (ASCII bytes). */
    static float parse(byte[] chars, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean negative = false;
        if (i < end && chars[i] == '-') {
            negative = true;
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean any = false;
        for (; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
            any = true;
            if (mantissa != 0 || chars[i] != '0') {
                if (digits >= 18) {
                    return slow(chars, offset, length);
                }
                mantissa = 10 * mantissa + (chars[i] - '0');
                digits++;
            }
        }
        if (i < end && chars[i] == '.') {
            i++;
            for (; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
                any = true;
                if (mantissa != 0 || chars[i] != '0') {
                    if (digits >= 18) {
                        return slow(chars, offset, length);
                    }
                    mantissa = 10 * mantissa + (chars[i] - '0');
                    digits++;
                }
                exponent--;
            }
        }
        if (!any) {
            return slow(chars, offset, length);
        }
        if (i < end && (chars[i] == 'e' || chars[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (chars[i] == '+' || chars[i] == '-')) {
                negativeExponent = chars[i] == '-';
                i++;
            }
            int e = 0;
            int expDigits = 0;
            for (; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
                if (e < 100_000) {
                    e = 10 * e + (chars[i] - '0');
                }
                expDigits++;
            }
            if (expDigits == 0) {
                return slow(chars, offset, length);
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i != end) {
            return slow(chars, offset, length);
        }
        if (mantissa == 0) {
            return negative ? -0f : 0f;
        }
        if (mantissa >= (1L << 53) || exponent < -22 || exponent > 22) {
            return slow(chars, offset, length);
        }
        double d = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
        if (isFloatMidpoint(d)) {
            return slow(chars, offset, length);
        }
        float f = (float) d;
        return negative ? -f : f;
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
