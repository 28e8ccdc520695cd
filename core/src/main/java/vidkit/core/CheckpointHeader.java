package vidkit.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON part of a checkpoint: everything needed to rebuild the model and continue training.
 *
 * @param vidkitVersion the version that wrote it
 * @param config the resolved training config (its {@code type} names the task)
 * @param training where the training loop stood
 * @param task the task's own state (feature sizes, normalizers, class names ...), bound by the task
 *     to its record
 */
public record CheckpointHeader(String vidkitVersion, TaskConfig config, TrainingState training, JsonNode task) {}
