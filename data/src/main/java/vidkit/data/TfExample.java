package vidkit.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code tf.train.Example} ({@code features}: a map from names to {@link TfFeature}s) or, with
 * {@link #featureLists()} non-empty, a {@code tf.train.SequenceExample} ({@code context} plus
 * {@code feature_lists}: names to lists of features, one per time step).
 *
 * @param features the Example's features, or the SequenceExample's context
 * @param featureLists the SequenceExample's feature lists (empty for an Example)
 */
public record TfExample(Map<String, TfFeature> features, Map<String, List<TfFeature>> featureLists) {
    public TfExample {
        features = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(features));
        featureLists = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(featureLists));
    }

    /** Decodes a {@code tf.train.Example}: field 1 = {@code Features}. */
    public static TfExample decodeExample(byte[] payload) {
        return decodeExample(payload, payload.length);
    }

    /** Decodes a {@code tf.train.Example} from {@code payload[0, length)}. */
    public static TfExample decodeExample(byte[] payload, int length) {
        return decodeExample(payload, 0, length);
    }

    /** Decodes a {@code tf.train.Example} from {@code buffer[offset, offset + length)}. */
    public static TfExample decodeExample(byte[] buffer, int offset, int length) {
        Proto.Reader r = new Proto.Reader(buffer, offset, offset + length);
        Map<String, TfFeature> features = new LinkedHashMap<>();
        while (r.more()) {
            int tag = r.tag();
            if (tag == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                decodeFeatures(r.sub(), features);
            } else {
                r.skip(tag & 7);
            }
        }
        return new TfExample(features, Map.of());
    }

    /**
     * Decodes a {@code tf.train.SequenceExample}: field 1 = context {@code Features}, field 2 =
     * {@code FeatureLists} (field 1: map entries of name → {@code FeatureList}, whose field 1 is a
     * repeated {@code Feature}).
     */
    public static TfExample decodeSequenceExample(byte[] payload) {
        return decodeSequenceExample(payload, payload.length);
    }

    /** Decodes a {@code tf.train.SequenceExample} from {@code payload[0, length)}. */
    public static TfExample decodeSequenceExample(byte[] payload, int length) {
        return decodeSequenceExample(payload, 0, length);
    }

    /** Decodes a {@code tf.train.SequenceExample} from {@code buffer[offset, offset + length)}. */
    public static TfExample decodeSequenceExample(byte[] buffer, int offset, int length) {
        Proto.Reader r = new Proto.Reader(buffer, offset, offset + length);
        Map<String, TfFeature> context = new LinkedHashMap<>();
        Map<String, List<TfFeature>> lists = new LinkedHashMap<>();
        while (r.more()) {
            int tag = r.tag();
            if (tag == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                decodeFeatures(r.sub(), context);
            } else if (tag == (2 << 3 | Proto.LENGTH_DELIMITED)) {
                Proto.Reader fl = r.sub();
                while (fl.more()) {
                    int t = fl.tag();
                    if (t != (1 << 3 | Proto.LENGTH_DELIMITED)) {
                        fl.skip(t & 7);
                        continue;
                    }
                    Proto.Reader entry = fl.sub();
                    String key = "";
                    List<TfFeature> steps = new ArrayList<>();
                    while (entry.more()) {
                        int et = entry.tag();
                        if (et == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                            key = entry.string();
                        } else if (et == (2 << 3 | Proto.LENGTH_DELIMITED)) {
                            Proto.Reader list = entry.sub();
                            while (list.more()) {
                                int lt = list.tag();
                                if (lt == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                                    steps.add(TfFeature.decode(list.sub()));
                                } else {
                                    list.skip(lt & 7);
                                }
                            }
                        } else {
                            entry.skip(et & 7);
                        }
                    }
                    lists.put(key, steps);
                }
            } else {
                r.skip(tag & 7);
            }
        }
        return new TfExample(context, lists);
    }

    /** {@code Features}: field 1 = map entries (key = field 1 string, value = field 2 Feature). */
    private static void decodeFeatures(Proto.Reader r, Map<String, TfFeature> into) {
        while (r.more()) {
            int tag = r.tag();
            if (tag != (1 << 3 | Proto.LENGTH_DELIMITED)) {
                r.skip(tag & 7);
                continue;
            }
            Proto.Reader entry = r.sub();
            String key = "";
            TfFeature value = new TfFeature.Bytes(List.of());
            while (entry.more()) {
                int et = entry.tag();
                if (et == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                    key = entry.string();
                } else if (et == (2 << 3 | Proto.LENGTH_DELIMITED)) {
                    value = TfFeature.decode(entry.sub());
                } else {
                    entry.skip(et & 7);
                }
            }
            into.put(key, value);
        }
    }

    private static byte[] encodeFeatures(Map<String, TfFeature> features) {
        Proto.Writer w = new Proto.Writer();
        for (var e : features.entrySet()) {
            byte[] entry = new Proto.Writer().string(1, e.getKey()).bytes(2, inner(e.getValue())).toByteArray();
            w.bytes(1, entry);
        }
        return w.toByteArray();
    }

    /** A Feature message's bytes (the encoded oneof field). */
    private static byte[] inner(TfFeature f) {
        return f.encode();
    }

    /** Encodes as a {@code tf.train.Example} (feature lists must be empty). */
    public byte[] encodeExample() {
        if (!featureLists.isEmpty()) {
            throw new IllegalStateException("an Example has no feature lists; encode as a SequenceExample");
        }
        return new Proto.Writer().bytes(1, encodeFeatures(features)).toByteArray();
    }

    /** Encodes as a {@code tf.train.SequenceExample}. */
    public byte[] encodeSequenceExample() {
        Proto.Writer lists = new Proto.Writer();
        for (var e : featureLists.entrySet()) {
            Proto.Writer list = new Proto.Writer();
            for (TfFeature f : e.getValue()) {
                list.bytes(1, f.encode());
            }
            lists.bytes(1, new Proto.Writer().string(1, e.getKey()).bytes(2, list.toByteArray()).toByteArray());
        }
        return new Proto.Writer().bytes(1, encodeFeatures(features)).bytes(2, lists.toByteArray()).toByteArray();
    }
}
