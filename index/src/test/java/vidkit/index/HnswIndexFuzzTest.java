package vidkit.index;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vidkit.data.FuzzedBytes;
import vidkit.data.InvalidDataException;

/**
 * Fuzzes an HNSW index's description ({@value HnswIndex#META}): a real index of a 300-row library
 * is built once; each input replaces its description with the real one edited byte-wise, or with
 * one field set to a value the fuzzer picks (numbers out of range, wrong types, strings), then
 * opens and searches the index. Only {@link InvalidDataException} subtypes escape.
 */
class HnswIndexFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR;
    private static final EmbeddingLibrary LIBRARY;
    private static final byte[] META;
    private static final List<String> FIELDS = new ArrayList<>();

    static {
        try {
            Path root = Files.createTempDirectory("vidkit-fuzz-hnsw");
            List<String> ids = new ArrayList<>();
            float[] rows = new float[300 * 8];
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < 300; i++) {
                ids.add("v" + i);
            }
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) random.nextGaussian();
            }
            Path lib = root.resolve("lib.vkemb");
            EmbeddingLibrary.write(lib, ids, rows, 8);
            LIBRARY = EmbeddingLibrary.open(lib);
            DIR = root.resolve("index");
            HnswIndex.build(LIBRARY, DIR, HnswIndex.Params.DEFAULT, 1, null);
            META = Files.readAllBytes(DIR.resolve(HnswIndex.META));
            JSON.readTree(META).fieldNames().forEachRemaining(FIELDS::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void description(FuzzedDataProvider data) throws IOException {
        byte[] meta;
        if (data.consumeBoolean()) {
            meta = FuzzedBytes.edit(META, data, b -> b);
        } else {
            ObjectNode tree = (ObjectNode) JSON.readTree(META);
            String field = data.pickValue(FIELDS);
            switch (data.consumeInt(0, 5)) {
                case 0 -> tree.put(field, data.consumeInt());
                case 1 -> tree.put(field, data.consumeLong());
                case 2 -> tree.put(field, data.consumeString(40));
                case 3 -> tree.put(field, data.consumeBoolean());
                case 4 -> tree.putNull(field);
                default -> tree.remove(field);
            }
            meta = JSON.writeValueAsBytes(tree);
        }
        Files.write(DIR.resolve(HnswIndex.META), meta);
        try (HnswIndex index = HnswIndex.open(DIR, LIBRARY)) {
            if (index.search(LIBRARY.row(0), 3, 20).isEmpty()) {
                throw new AssertionError("an accepted index finds nothing");
            }
        } catch (InvalidDataException expected) {
            // typed
        }
    }
}
