package vidkit.similarity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vidkit.text.OnnxTextEncoder;
import vidkit.text.TextModel;

/**
 * The text stream of a similarity model: every title of a {@link TitlesFile} encoded once by a
 * sentence encoder ({@link TextModel}, unit vectors {@code [Dt]}), looked up by video id. Each unit
 * vector is scaled by {@code √Dt}, so its components have a root mean square of 1, as standardized
 * features do (unscaled, a 384-d unit vector's components are ~0.05 and the text branch starts out
 * drowned by the visual one). The rule for a video without a title: a zero vector (the model's text
 * branch then adds only its bias).
 */
final class TitleVectors {
    private final Map<String, float[]> byId;
    private final int dim;

    private TitleVectors(Map<String, float[]> byId, int dim) {
        this.byId = byId;
        this.dim = dim;
    }

    /**
     * Reads {@code titlesFile} (ids checked against {@code knownIds} when given) and encodes every
     * title with {@code model} on {@code threads} threads.
     */
    static TitleVectors encode(Path titlesFile, Set<String> knownIds, TextModel model, int threads) throws IOException {
        Map<String, String> titles = TitlesFile.read(titlesFile, knownIds);
        List<String> ids = new ArrayList<>(titles.keySet());
        List<String> texts = new ArrayList<>(titles.values());
        float[] v;
        try (OnnxTextEncoder encoder = OnnxTextEncoder.open(model, threads)) {
            v = encoder.sentences(texts);
        }
        int d = model.dimension();
        float scale = (float) Math.sqrt(d);
        Map<String, float[]> byId = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            float[] row = java.util.Arrays.copyOfRange(v, i * d, (i + 1) * d);
            for (int k = 0; k < d; k++) {
                row[k] *= scale;
            }
            byId.put(ids.get(i), row);
        }
        return new TitleVectors(byId, d);
    }

    int dim() {
        return dim;
    }

    /** How many videos have a title. */
    int size() {
        return byId.size();
    }

    /** The title vector of {@code id}, zeros without a title: writes {@code [Dt]} into {@code out} at {@code at}. */
    void copy(String id, float[] out, int at) {
        float[] v = byId.get(id);
        if (v != null) {
            System.arraycopy(v, 0, out, at, dim);
        }
    }
}
