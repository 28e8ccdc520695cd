#!/usr/bin/python3
"""Independent decode of the two frame-level sample records and the first video-level record.

A from-scratch TFRecord + protobuf walker (no TensorFlow), written separately from vidkit's Java
reader, so the values in yt8m_fixture_values.txt check that reader. Run by hand:
    /usr/bin/python3 tools/yt8m_fixture_values.py ../shared/data/yt8m > tools/yt8m_fixture_values.txt
"""
import struct
import sys
import zlib  # noqa: F401  (CRC32C is not in zlib; framing is checked by the Java tests)


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack_from("<Q", data, pos)
        yield data[pos + 12 : pos + 12 + length]
        pos += 12 + length + 4


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return v, i


def fields(b):
    """(field number, wire type, value) where value is bytes for length-delimited fields."""
    i = 0
    while i < len(b):
        tag, i = varint(b, i)
        fn, wt = tag >> 3, tag & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v = b[i : i + n]
            i += n
        elif wt == 5:
            v = b[i : i + 4]
            i += 4
        elif wt == 1:
            v = b[i : i + 8]
            i += 8
        else:
            raise ValueError(wt)
        yield fn, wt, v


def feature(b):
    for fn, _, v in fields(b):
        inner = [x for (f2, _, x) in fields(v) if f2 == 1]
        if fn == 1:
            return ("bytes", inner)
        if fn == 2:
            out = []
            for x in inner:
                out += list(struct.unpack("<%df" % (len(x) // 4), x))
            return ("floats", out)
        if fn == 3:
            out = []
            for x in inner:
                j = 0
                while j < len(x):
                    val, j = varint(x, j)
                    out.append(val)
            return ("int64", out)
    return ("empty", [])


def features_map(b):
    out = {}
    for fn, _, entry in fields(b):
        if fn != 1:
            continue
        key = value = None
        for f2, _, x in fields(entry):
            if f2 == 1:
                key = x.decode()
            elif f2 == 2:
                value = feature(x)
        out[key] = value
    return out


def main(root):
    for name in ("sample-0", "sample-1"):
        payload = next(records(f"{root}/frame-level-sample/{name}.tfrecord"))
        context, lists = {}, {}
        for fn, _, v in fields(payload):
            if fn == 1:
                context = features_map(v)
            elif fn == 2:
                for f2, _, entry in fields(v):
                    key, steps = None, []
                    for f3, _, x in fields(entry):
                        if f3 == 1:
                            key = x.decode()
                        elif f3 == 2:
                            steps = [feature(s) for (f4, _, s) in fields(x) if f4 == 1]
                    lists[key] = steps
        vid = context["id"][1][0].decode()
        labels = context["labels"][1]
        rgb0 = list(lists["rgb"][0][1][0][:5])
        audio0 = list(lists["audio"][0][1][0][:5])
        print(f"{name} id={vid} labels={labels} frames={len(lists['rgb'])} audio_frames={len(lists['audio'])} "
              f"rgb0_q={rgb0} rgb0_x={[round(q * 4 / 255 - 2 + 4 / 512, 6) for q in rgb0]} audio0_q={audio0} "
              f"last_rgb_q={list(lists['rgb'][-1][1][0][:3])}")
    payload = next(records(f"{root}/video-level/validate0000.tfrecord"))
    m = features_map(next(v for fn, _, v in fields(payload) if fn == 1))
    print(f"validate0000[0] id={m['id'][1][0].decode()} labels={m['labels'][1]} "
          f"mean_rgb0={[round(x, 6) for x in m['mean_rgb'][1][:3]]} mean_audio0={[round(x, 6) for x in m['mean_audio'][1][:3]]}")
    count = 0
    import glob
    for shard in sorted(glob.glob(f"{root}/video-level/*.tfrecord")):
        count += sum(1 for _ in records(shard))
    print(f"video-level records={count}")


if __name__ == "__main__":
    main(sys.argv[1])
