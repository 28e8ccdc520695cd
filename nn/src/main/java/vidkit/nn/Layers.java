package vidkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;

/** Small stateless layer functions shared by the models. */
final class Layers {
    private Layers() {}

    /** Inverted dropout at {@code rate} while training; the identity otherwise or when the rate is 0. */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).singletonOrThrow() : x;
    }
}
