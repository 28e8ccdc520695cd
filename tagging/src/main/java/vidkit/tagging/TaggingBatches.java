package vidkit.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import vidkit.data.FeatureNormalizer;
import vidkit.data.TaggingDataset;

/** Batches of a tagging dataset as tensors: features padded at the end to the batch's longest video. */
final class TaggingBatches {
    private TaggingBatches() {}

    /** {@code visual [b, F, dv]}, {@code audio [b, F, da]}, {@code mask [b, F]}, {@code targets [b, classes]}. */
    record Batch(NDArray visual, NDArray audio, NDArray mask, NDArray targets) {}

    static Batch of(NDManager m, TaggingDataset data, int[] idx, double noise) {
        TaggingDataset.PaddedFrames p = data.padded(idx);
        int frames = p.frames();
        int classes = data.classes();
        float[] y = new float[idx.length * classes];
        for (int k = 0; k < idx.length; k++) {
            for (int l : data.labels()[idx[k]]) {
                y[k * classes + l] = 1;
            }
        }
        NDArray visual = m.create(p.visual(), new Shape(idx.length, frames, data.visualDim()));
        NDArray audio = m.create(p.audio(), new Shape(idx.length, frames, data.audioDim()));
        NDArray maskArray = m.create(p.mask(), new Shape(idx.length, frames));
        if (noise > 0) {
            NDArray m3 = maskArray.expandDims(-1); // no noise on padding
            visual = visual.add(m.randomNormal(0f, (float) noise, visual.getShape(), DataType.FLOAT32).mul(m3));
            audio = audio.add(m.randomNormal(0f, (float) noise, audio.getShape(), DataType.FLOAT32).mul(m3));
        }
        return new Batch(visual, audio, maskArray, m.create(y, new Shape(idx.length, classes)));
    }

    /** The dataset with each modality standardized by its normalizer. */
    static TaggingDataset normalized(TaggingDataset d, FeatureNormalizer visual, FeatureNormalizer audio) {
        java.util.List<float[]> v = new java.util.ArrayList<>();
        java.util.List<float[]> a = new java.util.ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            v.add(visual.applyClip(d.visual().get(i)));
            a.add(audio.applyClip(d.audio().get(i)));
        }
        return new TaggingDataset(d.source(), d.ids(), d.labels(), d.frames(), d.visualDim(), d.audioDim(), v, a,
                d.vocabulary(), d.groups(), d.singleLabel());
    }

    static FeatureNormalizer identity(int dim) {
        float[] mean = new float[dim];
        float[] std = new float[dim];
        java.util.Arrays.fill(std, 1f);
        return new FeatureNormalizer(mean, std);
    }
}
