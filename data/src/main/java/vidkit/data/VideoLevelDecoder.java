package vidkit.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast path for YouTube-8M video-level {@code tf.train.Example}s: decodes {@code id} (or {@code
 * video_id}), {@code labels}, {@code mean_rgb} and {@code mean_audio} straight from the record bytes
 * into a {@link Yt8mVideo}, without building the generic feature map, copying each float list and
 * checking it for NaN/infinity in one pass with the Vector API.
 *
 * <p>It answers {@code null} whenever the record is anything but the plain well-formed case (a
 * missing or repeated key, an unexpected kind, a wrong length, a non-finite value, a label outside
 * the vocabulary, an unpacked list, any wire-format trouble): the generic decoder then reads the
 * record again and either accepts it or throws its typed, explained error. So both paths accept the
 * same records and give the same videos (tested on every real record), and error messages come from
 * one place.
 */
final class VideoLevelDecoder {
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    /** Ints of the same shape (a constant, so the JIT intrinsifies the operations). */
    @SuppressWarnings("unchecked")
    private static final VectorSpecies<Integer> INTS = (VectorSpecies<Integer>) BYTES.vectorShape().withLanes(int.class);
    private static final byte[] ID = ascii("id");
    private static final byte[] VIDEO_ID = ascii("video_id");
    private static final byte[] LABELS = ascii("labels");
    private static final byte[] MEAN_RGB = ascii("mean_rgb");
    private static final byte[] MEAN_AUDIO = ascii("mean_audio");

    private VideoLevelDecoder() {}

    /** The video in {@code buf[start, start + length)}, or {@code null} for the generic path to decide. */
    static Yt8mVideo tryDecode(byte[] buf, int start, int length, int classes) {
        try {
            return decode(buf, start, start + length, classes);
        } catch (ProtoException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static Yt8mVideo decode(byte[] buf, int start, int end, int classes) {
        Proto.Reader example = new Proto.Reader(buf, start, end);
        float[] rgb = null;
        float[] audio = null;
        int[] labels = null;
        String id = null;
        String videoId = null;
        boolean sawFeatures = false;
        while (example.more()) {
            int tag = example.tag();
            if (tag != (1 << 3 | Proto.LENGTH_DELIMITED)) {
                example.skip(tag & 7);
                continue;
            }
            if (sawFeatures) {
                return null; // a second Features message merges into the first: leave it to the generic path
            }
            sawFeatures = true;
            Proto.Reader features = example.sub();
            while (features.more()) {
                if (features.tag() != (1 << 3 | Proto.LENGTH_DELIMITED)) {
                    return null;
                }
                Proto.Reader entry = features.sub();
                if (!entry.more() || entry.tag() != (1 << 3 | Proto.LENGTH_DELIMITED)) {
                    return null;
                }
                int keyLength = entry.length();
                int keyAt = entry.pos;
                entry.pos += keyLength;
                if (!entry.more() || entry.tag() != (2 << 3 | Proto.LENGTH_DELIMITED)) {
                    return null;
                }
                Proto.Reader feature = entry.sub();
                if (entry.more()) {
                    return null;
                }
                if (is(buf, keyAt, keyLength, MEAN_RGB)) {
                    if (rgb != null || (rgb = floats(feature, Yt8mReader.RGB_DIM)) == null) {
                        return null;
                    }
                } else if (is(buf, keyAt, keyLength, MEAN_AUDIO)) {
                    if (audio != null || (audio = floats(feature, Yt8mReader.AUDIO_DIM)) == null) {
                        return null;
                    }
                } else if (is(buf, keyAt, keyLength, LABELS)) {
                    if (labels != null || (labels = labels(feature, classes)) == null) {
                        return null;
                    }
                } else if (is(buf, keyAt, keyLength, ID)) {
                    if (id != null || (id = singleBytes(feature)) == null) {
                        return null;
                    }
                } else if (is(buf, keyAt, keyLength, VIDEO_ID)) {
                    if (videoId != null || (videoId = singleBytes(feature)) == null) {
                        return null;
                    }
                }
                // other keys are ignored, as the generic path ignores them
            }
        }
        String chosen = id != null ? id : videoId;
        if (rgb == null || audio == null || labels == null || chosen == null) {
            return null;
        }
        return new Yt8mVideo(chosen, labels, 1, 1, rgb, audio);
    }

    /** A Feature holding exactly one packed float_list run of {@code dim} finite values. */
    private static float[] floats(Proto.Reader feature, int dim) {
        if (feature.tag() != (2 << 3 | Proto.LENGTH_DELIMITED)) {
            return null;
        }
        Proto.Reader list = feature.sub();
        if (feature.more() || list.tag() != (1 << 3 | Proto.LENGTH_DELIMITED)) {
            return null;
        }
        int len = list.length();
        if (len != 4 * dim || list.pos + len != list.end) {
            return null;
        }
        float[] out = new float[dim];
        return copyFinite(list.buf, list.pos, out) ? out : null;
    }

    /**
     * Copies {@code out.length} little-endian floats from {@code src[at, ...)} into {@code out} and
     * says whether all are finite (exponent field not all ones; see {@link Yt8mReader#allFinite}).
     * {@code reinterpretAsInts} reads the bytes in little-endian order on every platform.
     */
    static boolean copyFinite(byte[] src, int at, float[] out) {
        int bytes = 4 * out.length;
        int i = 0;
        int upper = BYTES.loopBound(bytes);
        IntVector any = IntVector.zero(INTS);
        for (; i < upper; i += BYTES.length()) {
            IntVector bits = ByteVector.fromArray(BYTES, src, at + i).reinterpretAsInts();
            bits.reinterpretAsFloats().intoArray(out, i >> 2);
            any = any.or(bits.and(0x7f800000).add(0x00800000));
        }
        int rest = any.reduceLanes(VectorOperators.OR);
        for (; i < bytes; i += 4) {
            int b = TfRecordReader.littleInt(src, at + i);
            out[i >> 2] = Float.intBitsToFloat(b);
            rest |= (b & 0x7f800000) + 0x00800000;
        }
        return rest >= 0;
    }

    /** A Feature holding one packed int64_list run, every value in {@code [0, classes)}; sorted. An empty Feature = no labels. */
    private static int[] labels(Proto.Reader feature, int classes) {
        if (!feature.more()) {
            return new int[0];
        }
        if (feature.tag() != (3 << 3 | Proto.LENGTH_DELIMITED)) {
            return null;
        }
        Proto.Reader list = feature.sub();
        if (feature.more()) {
            return null;
        }
        if (!list.more()) {
            return new int[0];
        }
        if (list.tag() != (1 << 3 | Proto.LENGTH_DELIMITED)) {
            return null;
        }
        Proto.Reader packed = list.sub();
        if (list.more()) {
            return null;
        }
        int[] out = new int[8];
        int n = 0;
        while (packed.more()) {
            long v = packed.varint();
            if (v < 0 || v >= classes) {
                return null;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, 2 * n);
            }
            out[n++] = (int) v;
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    /** A Feature holding a bytes_list of exactly one value, as UTF-8. */
    private static String singleBytes(Proto.Reader feature) {
        if (feature.tag() != (1 << 3 | Proto.LENGTH_DELIMITED)) {
            return null;
        }
        Proto.Reader list = feature.sub();
        if (feature.more() || list.tag() != (1 << 3 | Proto.LENGTH_DELIMITED)) {
            return null;
        }
        int len = list.length();
        if (list.pos + len != list.end) {
            return null;
        }
        return new String(list.buf, list.pos, len, StandardCharsets.UTF_8);
    }

    private static boolean is(byte[] buf, int at, int length, byte[] key) {
        return length == key.length && Arrays.equals(buf, at, at + length, key, 0, length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
