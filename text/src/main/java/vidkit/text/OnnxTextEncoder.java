package vidkit.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A {@link TextModel} on ONNX Runtime (CPU), tokenized by DJL's HuggingFace tokenizers. Both files
 * are class-path resources of the model's jar. Sentences are encoded in batches of similar length
 * (sorted by token count, padded to the longest of the batch, padding masked), so a sentence's
 * vector does not depend on its neighbours beyond float rounding.
 */
public final class OnnxTextEncoder implements TextEncoder {
    /** Sentences per model call in {@link #sentences}. */
    public static final int DEFAULT_BATCH = 32;

    private final TextModel model;
    private final int batch;
    private final HuggingFaceTokenizer tokenizer;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final String statesOutput;

    private OnnxTextEncoder(TextModel model, int batch, HuggingFaceTokenizer tokenizer, OrtEnvironment environment,
            OrtSession session) throws OrtException {
        this.model = model;
        this.batch = batch;
        this.tokenizer = tokenizer;
        this.environment = environment;
        this.session = session;
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
        for (String needed : List.of("input_ids", "attention_mask")) {
            if (!session.getInputNames().contains(needed)) {
                throw new IllegalStateException(model.onnxResource() + " has no input " + needed + " (it has "
                        + session.getInputNames() + ")");
            }
        }
        String found = null;
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3
                    && (found == null || e.getKey().equals("last_hidden_state"))) {
                found = e.getKey();
            }
        }
        if (found == null) {
            throw new IllegalStateException(model.onnxResource() + " has no [batch, tokens, hidden] output (outputs "
                    + session.getOutputNames() + ")");
        }
        this.statesOutput = found;
    }

    /** Opens {@code model} with {@code threads} compute threads and the default batch size. */
    public static OnnxTextEncoder open(TextModel model, int threads) {
        return open(model, threads, DEFAULT_BATCH);
    }

    /** Opens {@code model} with {@code threads} compute threads and {@code batch} sentences per call. */
    public static OnnxTextEncoder open(TextModel model, int threads, int batch) {
        if (threads < 1 || batch < 1) {
            throw new IllegalArgumentException("threads and batch must be >= 1, got " + threads + " and " + batch);
        }
        HuggingFaceTokenizer tokenizer = null;
        OrtSession session = null;
        try (InputStream tok = resource(model.tokenizerResource()); InputStream onnx = resource(model.onnxResource())) {
            tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("addSpecialTokens", "true", "truncation", "true",
                    "padding", "false", "maxLength", Integer.toString(model.maxTokens())));
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = env.createSession(onnx.readAllBytes(), options);
            }
            return new OnnxTextEncoder(model, batch, tokenizer, env, session);
        } catch (IOException e) {
            close(tokenizer, session);
            throw new UncheckedIOException("cannot read the " + model.id() + " model from its jar: " + e.getMessage(), e);
        } catch (OrtException | RuntimeException e) {
            close(tokenizer, session);
            throw new IllegalStateException("cannot open the " + model.id() + " model: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OnnxTextEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (its jar is missing)");
        }
        return in;
    }

    private static void close(HuggingFaceTokenizer tokenizer, OrtSession session) {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // closing what failed to open
            }
        }
    }

    public TextModel model() {
        return model;
    }

    @Override
    public String name() {
        return model.id();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    private long[] ids(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a sentence is null");
        }
        Encoding e = tokenizer.encode(text);
        long[] ids = e.getIds();
        long[] mask = e.getAttentionMask();
        int n = 0;
        while (n < ids.length && mask[n] != 0) {
            n++;
        }
        return n == ids.length ? ids : java.util.Arrays.copyOf(ids, n);
    }

    @Override
    public long[] tokenIds(String text) {
        return ids(text);
    }

    /** States {@code [n, tokens, hidden]} of one padded batch of token id lists. */
    private float[] run(List<long[]> batchIds, int tokens) {
        int n = batchIds.size();
        long[] ids = new long[n * tokens];
        long[] mask = new long[n * tokens];
        for (int s = 0; s < n; s++) {
            long[] x = batchIds.get(s);
            System.arraycopy(x, 0, ids, s * tokens, x.length);
            java.util.Arrays.fill(mask, s * tokens, s * tokens + x.length, 1L);
        }
        long[] shape = {n, tokens};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (takesTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[n * tokens]), shape));
            }
            try (OrtSession.Result r = session.run(inputs, java.util.Set.of(statesOutput))) {
                OnnxTensor out = (OnnxTensor) r.get(statesOutput).orElseThrow();
                long[] outShape = out.getInfo().getShape();
                if (outShape.length != 3 || outShape[0] != n || outShape[1] != tokens || outShape[2] != model.dimension()) {
                    throw new IllegalStateException(model.id() + " answered states of shape "
                            + java.util.Arrays.toString(outShape) + " for [" + n + ", " + tokens + ", "
                            + model.dimension() + "]");
                }
                FloatBuffer fb = out.getFloatBuffer();
                float[] states = new float[fb.remaining()];
                fb.get(states);
                return states;
            }
        } catch (OrtException e) {
            throw new IllegalStateException(model.id() + " failed on a batch of " + n + " sentences: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public float[] sentences(List<String> texts) {
        int h = model.dimension();
        float[] out = new float[texts.size() * h];
        List<long[]> all = new ArrayList<>(texts.size());
        for (String t : texts) {
            all.add(ids(t));
        }
        Integer[] order = IntStream.range(0, texts.size()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> all.get(i).length));
        for (int from = 0; from < order.length; from += batch) {
            int to = Math.min(order.length, from + batch);
            List<long[]> b = new ArrayList<>(to - from);
            int tokens = 1;
            for (int k = from; k < to; k++) {
                b.add(all.get(order[k]));
                tokens = Math.max(tokens, all.get(order[k]).length);
            }
            float[] states = run(b, tokens);
            for (int s = 0; s < b.size(); s++) {
                pool(states, s, tokens, b.get(s).length, out, order[from + s] * h);
            }
        }
        return out;
    }

    /** Pools sentence {@code s} of {@code states} ({@code length} real tokens) into {@code out} at {@code at}, unit length. */
    private void pool(float[] states, int s, int tokens, int length, float[] out, int at) {
        int h = model.dimension();
        int base = s * tokens * h;
        if (model.pooling() == TextModel.Pooling.CLS) {
            System.arraycopy(states, base, out, at, h);
        } else {
            for (int t = 0; t < length; t++) {
                for (int d = 0; d < h; d++) {
                    out[at + d] += states[base + t * h + d];
                }
            }
            for (int d = 0; d < h; d++) {
                out[at + d] /= length;
            }
        }
        double norm = 0;
        for (int d = 0; d < h; d++) {
            norm += (double) out[at + d] * out[at + d];
        }
        float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < h; d++) {
            out[at + d] *= inv;
        }
    }

    @Override
    public TokenStates tokens(List<String> texts) {
        int h = model.dimension();
        List<long[]> all = new ArrayList<>(texts.size());
        int tokens = 1;
        for (String t : texts) {
            long[] x = ids(t);
            all.add(x);
            tokens = Math.max(tokens, x.length);
        }
        float[] states = texts.isEmpty() ? new float[0] : run(all, tokens);
        int[] mask = new int[texts.size() * tokens];
        for (int s = 0; s < all.size(); s++) {
            int len = all.get(s).length;
            java.util.Arrays.fill(mask, s * tokens, s * tokens + len, 1);
            java.util.Arrays.fill(states, (s * tokens + len) * h, (s + 1) * tokens * h, 0f);
        }
        return new TokenStates(texts.size(), texts.isEmpty() ? 0 : tokens, h, states, mask);
    }

    @Override
    public void close() {
        close(tokenizer, session);
    }
}
