package vidkit.core;

import java.nio.file.Path;
import vidkit.data.InvalidDataException;

/** A block taken from another run does not fit the new model: names both runs and the block. */
public final class BlockMismatchException extends InvalidDataException {
    private static final long serialVersionUID = 1L;

    public BlockMismatchException(Path source, String target, String block, String detail) {
        super(source, "block '" + block + "' of this run does not fit the model of " + target + ": " + detail);
    }
}
