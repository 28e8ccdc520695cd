package vidkit.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import vidkit.data.CorruptFileException;
import vidkit.data.FramedFile;
import vidkit.nn.MatchingModel;

/**
 * A training checkpoint, framed by {@link FramedFile} (magic {@code VKCKPT01}, CRC32C footer,
 * written atomically). Payload (format version 1): the {@link CheckpointHeader} as JSON, the model
 * parameters (DJL's block encoding) and the optimizer state, each prefixed by its int32 length.
 *
 * @param header the JSON header
 * @param modelParameters DJL-encoded parameters
 * @param optimizerState {@link AdamOptimizer#saveState()} bytes (empty when not saved)
 */
public record Checkpoint(CheckpointHeader header, byte[] modelParameters, byte[] optimizerState) {
    public static final String MAGIC = "VKCKPT01";
    public static final int VERSION = 1;

    public static void write(Path file, CheckpointHeader header, MatchingModel model, AdamOptimizer optimizer)
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
            CheckpointHeader header;
            try {
                header = Json.MAPPER.readValue(parts[0], CheckpointHeader.class);
            } catch (IOException e) {
                throw new CorruptFileException(file, "unreadable header: " + e.getMessage());
            }
            return new Checkpoint(header, parts[1], parts[2]);
        }
    }
}
