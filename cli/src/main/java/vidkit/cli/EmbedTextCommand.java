package vidkit.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vidkit.core.Progress;
import vidkit.data.InvalidDataException;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.text.OnnxTextEncoder;
import vidkit.text.TextModel;

@Command(name = "embed-text", mixinStandardHelpOptions = true,
        description = "Embed sentences, one per line of a UTF-8 text file, with a pretrained sentence encoder into a "
                + "float32 [lines, dimension] .npy of unit vectors (row i = line i; an empty line is the empty sentence).")
final class EmbedTextCommand implements Callable<Integer> {
    /** Lines per progress step (each one or more model calls). */
    private static final int CHUNK = 256;

    @Option(names = "--in", required = true, description = "A UTF-8 text file, one sentence per line.")
    Path in;

    @Option(names = "--out", required = true, description = "The .npy file to write (atomically).")
    Path out;

    @Option(names = "--model", defaultValue = "minilm-l6",
            description = "minilm-l6 (English, 384-d) or bge-small-zh (Chinese, 512-d); default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--batch", defaultValue = "32", description = "Sentences per model call (default: ${DEFAULT-VALUE}).")
    int batch;

    /** The file's lines, decoded strictly: bad UTF-8 is an error naming the file and the line. */
    static List<String> lines(Path file) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(file);
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && i == start) {
                    break; // no line after the last newline
                }
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                try {
                    lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
                } catch (CharacterCodingException e) {
                    throw new InvalidDataException(file, "line " + (lines.size() + 1) + " is not valid UTF-8");
                }
                start = i + 1;
            }
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        return lines;
    }

    @Override
    public Integer call() throws Exception {
        TextModel m = TextModel.of(model);
        List<String> lines = lines(in);
        if (lines.isEmpty()) {
            throw new InvalidDataException(in, "has no lines to embed");
        }
        float[] vectors = new float[lines.size() * m.dimension()];
        long start = System.nanoTime();
        try (OnnxTextEncoder encoder = OnnxTextEncoder.open(m, Options.computeThreads(), batch);
                Progress progress = Progress.start("embedding text", lines.size())) {
            for (int from = 0; from < lines.size(); from += CHUNK) {
                int to = Math.min(lines.size(), from + CHUNK);
                float[] v = encoder.sentences(lines.subList(from, to));
                System.arraycopy(v, 0, vectors, from * m.dimension(), v.length);
                progress.step(to - from, "");
            }
        }
        Npy.write(out, NpyArray.ofFloats(vectors, lines.size(), m.dimension()));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "embedded %d lines with %s (%d dimensions) in %.1f s (%.0f sentences/s) "
                + "into %s%n", lines.size(), m.id(), m.dimension(), seconds, lines.size() / seconds, out);
        return 0;
    }
}
