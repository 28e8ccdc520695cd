package vidkit.core;

import java.nio.file.Path;

/**
 * What {@code vidkit predict} asks of a task.
 *
 * @param run the trained run
 * @param data the data to predict (directory, file or glob, as the task reads it)
 * @param out the file to write (atomically); the task may write siblings of it
 * @param topK how many results per item, where the task ranks
 */
public record PredictionRequest(RunDirectory run, String data, Path out, int topK) {}
