package vidkit.core;

import ai.djl.nn.Block;

/** A trained model restored from a checkpoint, with its own manager; close it when done. */
public interface TrainedModel extends AutoCloseable {
    /** The model, its parameters restored. */
    Block block();

    /** Where it was restored from. */
    Checkpoint checkpoint();

    @Override
    void close();
}
