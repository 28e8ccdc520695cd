package vidkit.data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Structure-aware fuzzing of checksummed files: a valid file's bytes, changed by edits the fuzzer
 * chooses (flipped bytes, forged 32- and 64-bit lengths in either byte order, cuts, insertions,
 * deletions), then — when the fuzzer says so — re-sealed by the format's own rule (length and
 * checksum recomputed). Random bytes never get past a CRC; a re-sealed forgery is what an attacker
 * who knows the format can hand us, and it reaches the parser behind the checksum.
 */
public final class FuzzedBytes {
    private FuzzedBytes() {}

    /** At most this many edits per input. */
    private static final int MAX_EDITS = 6;

    /** Applies the fuzzer's edits to a copy of {@code valid}, then {@code reseal} if the fuzzer asks. */
    public static byte[] edit(byte[] valid, FuzzedDataProvider data, UnaryOperator<byte[]> reseal) {
        byte[] b = valid.clone();
        int edits = data.consumeInt(0, MAX_EDITS);
        for (int e = 0; e < edits && data.remainingBytes() > 0; e++) {
            int kind = data.consumeInt(0, 6);
            int at = b.length == 0 ? 0 : data.consumeInt(0, b.length - 1);
            switch (kind) {
                case 0 -> {
                    if (b.length > 0) {
                        b[at] ^= (byte) (1 << data.consumeInt(0, 7));
                    }
                }
                case 1, 2 -> {
                    if (at + 4 <= b.length) {
                        ByteBuffer.wrap(b, at, 4).order(kind == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                                .putInt(forgedInt(data));
                    }
                }
                case 3, 4 -> {
                    if (at + 8 <= b.length) {
                        ByteBuffer.wrap(b, at, 8).order(kind == 3 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                                .putLong(data.consumeBoolean() ? forgedInt(data) : data.consumeLong());
                    }
                }
                case 5 -> b = Arrays.copyOf(b, at); // cut
                default -> { // insert or delete a run
                    byte[] run = data.consumeBytes(data.consumeInt(0, 64));
                    if (data.consumeBoolean()) {
                        byte[] n = new byte[b.length + run.length];
                        System.arraycopy(b, 0, n, 0, at);
                        System.arraycopy(run, 0, n, at, run.length);
                        System.arraycopy(b, at, n, at + run.length, b.length - at);
                        b = n;
                    } else {
                        int len = Math.min(run.length, b.length - at);
                        byte[] n = new byte[b.length - len];
                        System.arraycopy(b, 0, n, 0, at);
                        System.arraycopy(b, at + len, n, at, b.length - at - len);
                        b = n;
                    }
                }
            }
        }
        return data.consumeBoolean() ? reseal.apply(b) : b;
    }

    /** A length an attacker would try: boundaries, huge, negative, or anything. */
    private static int forgedInt(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 7)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            case 4 -> Integer.MAX_VALUE - 8;
            case 5 -> 1 << 30;
            case 6 -> data.consumeInt(0, 1 << 16);
            default -> data.consumeInt();
        };
    }
}
