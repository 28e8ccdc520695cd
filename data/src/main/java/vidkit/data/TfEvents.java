package vidkit.data;

import java.util.ArrayList;
import java.util.List;

/**
 * TensorBoard's event records ({@code tensorflow.Event}), scalars only: what vidkit writes into
 * {@code events.out.tfevents.*} files (TFRecord framing) so that {@code tensorboard --logdir runs/}
 * shows a run's curves. Fields used: {@code wall_time} (1, double), {@code step} (2, int64), {@code
 * file_version} (3, string; the first event of a file, {@code "brain.Event:2"}) and {@code summary}
 * (5) holding {@code Summary.Value}s of {@code tag} (1) and {@code simple_value} (2, float).
 */
public final class TfEvents {
    public static final String FILE_VERSION = "brain.Event:2";

    private TfEvents() {}

    /** One scalar of one event. */
    public record Scalar(double wallTime, long step, String tag, float value) {}

    /** The first event of every file. */
    public static byte[] fileVersion(double wallTime) {
        return new Proto.Writer().tag(1, Proto.FIXED64).fixed64(Double.doubleToRawLongBits(wallTime))
                .string(3, FILE_VERSION).toByteArray();
    }

    /** An event holding one scalar. */
    public static byte[] scalar(double wallTime, long step, String tag, float value) {
        byte[] v = new Proto.Writer().string(1, tag).tag(2, Proto.FIXED32).fixed32(Float.floatToRawIntBits(value))
                .toByteArray();
        byte[] summary = new Proto.Writer().bytes(1, v).toByteArray();
        return new Proto.Writer().tag(1, Proto.FIXED64).fixed64(Double.doubleToRawLongBits(wallTime))
                .tag(2, Proto.VARINT).varint(step).bytes(5, summary).toByteArray();
    }

    /** The file version of an event, or {@code null} when it has none. */
    public static String fileVersionOf(byte[] event) {
        Proto.Reader r = new Proto.Reader(event, 0, event.length);
        while (r.more()) {
            int tag = r.tag();
            if (tag == (3 << 3 | Proto.LENGTH_DELIMITED)) {
                return r.string();
            }
            r.skip(tag & 7);
        }
        return null;
    }

    /** The scalars of an event (none for events without a summary). */
    public static List<Scalar> scalars(byte[] event) {
        Proto.Reader r = new Proto.Reader(event, 0, event.length);
        double wall = 0;
        long step = 0;
        List<String> tags = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            if (tag == (1 << 3 | Proto.FIXED64)) {
                wall = Double.longBitsToDouble(r.fixed64());
            } else if (tag == (2 << 3 | Proto.VARINT)) {
                step = r.varint();
            } else if (tag == (5 << 3 | Proto.LENGTH_DELIMITED)) {
                Proto.Reader summary = r.sub();
                while (summary.more()) {
                    int st = summary.tag();
                    if (st != (1 << 3 | Proto.LENGTH_DELIMITED)) {
                        summary.skip(st & 7);
                        continue;
                    }
                    Proto.Reader value = summary.sub();
                    String name = null;
                    Float v = null;
                    while (value.more()) {
                        int vt = value.tag();
                        if (vt == (1 << 3 | Proto.LENGTH_DELIMITED)) {
                            name = value.string();
                        } else if (vt == (2 << 3 | Proto.FIXED32)) {
                            v = Float.intBitsToFloat(value.fixed32());
                        } else {
                            value.skip(vt & 7);
                        }
                    }
                    if (name != null && v != null) {
                        tags.add(name);
                        values.add(v);
                    }
                }
            } else {
                r.skip(tag & 7);
            }
        }
        List<Scalar> out = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            out.add(new Scalar(wall, step, tags.get(i), values.get(i)));
        }
        return out;
    }
}
