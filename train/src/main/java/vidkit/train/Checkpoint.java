package vidkit.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import vidkit.data.CorruptFileException;
import vidkit.data.FramedFile;
import vidkit.data.InvalidDataException;

/**
 * A training checkpoint, framed by {@link FramedFile} (magic {@code VKCKPT01}, CRC32C footer,
 * written atomically). Payload (format version 1): the header as JSON ({@link CheckpointHeader} for
 * matching runs, {@link TaggingCheckpointHeader} for tagging runs; its {@code config.type} names the
 * task), the model parameters (DJL's block encoding) and the optimizer state, each prefixed by its
 * int32 length.
 *
 * @param file where it was read from
 * @param headerJson the JSON header
 * @param modelParameters DJL-encoded parameters
 * @param optimizerState {@link AdamOptimizer#saveState()} bytes (empty when not saved)
 */
public record Checkpoint(Path file, byte[] headerJson, byte[] modelParameters, byte[] optimizerState) {
    public static final String MAGIC = "VKCKPT01";
    public static final int VERSION = 1;

    public static void write(Path file, Object header, ai.djl.nn.Block model, AdamOptimizer optimizer)
            throws IOException {
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        DataOutputStream p = new DataOutputStream(params);
        model.saveParameters(p);
        p.flush();
        byte[] opt = optimizer == null ? new byte[0] : optimizer.saveState();
        byte[] json = Json.MAPPER.writeValueAsBytes(header);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payload);
        for (byte[] part : new byte[][] {json, params.toByteArray(), opt}) {
            out.writeInt(part.length);
            out.write(part);
        }
        out.flush();
        FramedFile.write(file, MAGIC, VERSION, payload.toByteArray());
    }

    public static Checkpoint read(Path file) throws IOException {
        FramedFile framed = FramedFile.read(file, MAGIC, VERSION);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(framed.payload()))) {
            byte[][] parts = new byte[3][];
            for (int i = 0; i < 3; i++) {
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw new CorruptFileException(file, "part " + i + " declares " + n + " bytes");
                }
                parts[i] = in.readNBytes(n);
            }
            return new Checkpoint(file, parts[0], parts[1], parts[2]);
        }
    }

    /**
     * Restores this checkpoint's parameters and optimizer state into a freshly built model for
     * training on: loading replaces the parameter arrays, so the new ones are made to collect
     * gradients again.
     */
    public void restoreForTraining(ai.djl.nn.Block model, ai.djl.ndarray.NDManager manager, AdamOptimizer optimizer)
            throws IOException {
        try {
            model.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(modelParameters)));
        } catch (ai.djl.MalformedModelException | RuntimeException e) {
            throw new InvalidDataException(file, "parameters do not fit the model: " + e.getMessage());
        }
        for (var p : model.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
        optimizer.loadState(new DataInputStream(new ByteArrayInputStream(optimizerState)));
    }

    /** The task the checkpoint's run trained: {@code "matching"} or {@code "tagging"}. */
    public String task() throws CorruptFileException {
        return tree().path("config").path("type").asText("matching");
    }

    private com.fasterxml.jackson.databind.JsonNode tree() throws CorruptFileException {
        try {
            return Json.MAPPER.readTree(headerJson);
        } catch (IOException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getMessage());
        }
    }

    private <T> T header(Class<T> type, String task) throws InvalidDataException {
        String actual = task();
        if (!actual.equals(task)) {
            throw new InvalidDataException(file, "is a checkpoint of a " + actual + " run; this needs a " + task + " run");
        }
        try {
            return Json.MAPPER.treeToValue(tree(), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getMessage());
        }
    }

    /** The header of a matching run's checkpoint. */
    public CheckpointHeader header() throws InvalidDataException {
        return header(CheckpointHeader.class, "matching");
    }

    /** The header of a tagging run's checkpoint. */
    public TaggingCheckpointHeader taggingHeader() throws InvalidDataException {
        return header(TaggingCheckpointHeader.class, "tagging");
    }
}
