package vidkit.text;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both shipped sentence encoders on real sentences: token ids, meaning, batching, token states. */
class TextEncoderTest {
    static OnnxTextEncoder english;
    static OnnxTextEncoder chinese;

    @BeforeAll
    static void open() {
        english = OnnxTextEncoder.open(TextModel.MINILM_L6, 1);
        chinese = OnnxTextEncoder.open(TextModel.BGE_SMALL_ZH, 1);
    }

    @AfterAll
    static void close() {
        english.close();
        chinese.close();
    }

    static double cosine(float[] x, int i, int j, int dim) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            s += (double) x[i * dim + d] * x[j * dim + d];
        }
        return s;
    }

    /**
     * Golden ids: the BERT uncased vocabulary ([CLS] 101, hello 7592, "," 1010, world 2088, "!" 999,
     * [SEP] 102) and the Chinese BERT vocabulary (你 872, 好 1962, "，" 8024, 世 686, 界 4518), as
     * looked up in the jars' vocabularies by tools/text_token_ids.py.
     */
    @Test
    void aFixedSentenceHasTheVocabularysTokenIds() {
        assertArrayEquals(new long[] {101, 7592, 1010, 2088, 999, 102}, english.tokenIds("Hello, world!"));
        assertArrayEquals(new long[] {101, 7592, 1010, 2088, 999, 102}, english.tokenIds("HELLO,   World!"), "uncased");
        assertArrayEquals(new long[] {101, 872, 1962, 8024, 686, 4518, 102}, chinese.tokenIds("你好，世界"));
        assertArrayEquals(new long[] {101, 102}, english.tokenIds(""));
        // cut at the model's limit, [SEP] kept last
        long[] cut = english.tokenIds("word ".repeat(1000));
        assertEquals(256, cut.length);
        assertEquals(102, cut[255]);
        assertThrows(IllegalArgumentException.class, () -> english.tokenIds(null));
    }

    @Test
    void paraphrasesScoreAboveUnrelatedSentences() {
        String[][] english3 = {
            {"A man is playing a guitar.", "Someone is playing the guitar.", "The stock market fell sharply today."},
            {"A dog runs across the park.", "A puppy is running on the grass.", "She is cooking dinner in the kitchen."},
            {"How many people are in the video?", "How many persons appear in this clip?", "What colour is the car?"},
            {"The church bell is ringing.", "Bells ring at the church.", "A baby is crying."},
        };
        String[][] chinese3 = {
            {"一个男人在弹吉他。", "有人在弹吉他。", "今天股市大幅下跌。"},
            {"一只狗在公园里奔跑。", "小狗在草地上跑。", "她在厨房里做晚饭。"},
            {"视频里有几个人？", "这个片段中出现了多少人？", "那辆车是什么颜色的？"},
        };
        check(english, english3, 0.25);
        check(chinese, chinese3, 0.15);
    }

    private static void check(TextEncoder encoder, String[][] triples, double margin) {
        List<String> all = new ArrayList<>();
        for (String[] t : triples) {
            all.addAll(List.of(t));
        }
        float[] v = encoder.sentences(all);
        int dim = encoder.dimension();
        for (int k = 0; k < triples.length; k++) {
            double para = cosine(v, 3 * k, 3 * k + 1, dim);
            double unrelated = cosine(v, 3 * k, 3 * k + 2, dim);
            assertTrue(para > unrelated + margin, encoder.name() + ": '" + triples[k][0] + "' ~ '" + triples[k][1] + "' "
                    + para + " vs '" + triples[k][2] + "' " + unrelated);
        }
    }

    @Test
    void batchedEqualsOneAtATimeAndVectorsHaveUnitLength() {
        List<String> texts = List.of("A short one.", "", "A much longer sentence about a helicopter flying over the "
                + "mountains while an engine roars.", "Two words", "你好", "The same sentence.", "The same sentence.");
        for (OnnxTextEncoder e : List.of(english, chinese)) {
            int dim = e.dimension();
            float[] together = e.sentences(texts);
            assertEquals(texts.size() * dim, together.length);
            for (int i = 0; i < texts.size(); i++) {
                float[] alone = e.sentences(List.of(texts.get(i)));
                for (int d = 0; d < dim; d++) {
                    assertEquals(alone[d], together[i * dim + d], 1e-4f, e.name() + " sentence " + i + " dim " + d);
                }
                assertEquals(1.0, cosine(together, i, i, dim), 1e-5);
            }
            // a batch size of 2 (four model calls) gives the same vectors
            try (OnnxTextEncoder small = OnnxTextEncoder.open(e.model(), 1, 2)) {
                float[] again = small.sentences(texts);
                for (int k = 0; k < again.length; k++) {
                    assertEquals(together[k], again[k], 1e-4f);
                }
            }
            assertEquals(0, e.sentences(List.of()).length);
        }
    }

    /** Token states: the mask marks real tokens, padding is zero, and mean pooling them gives the sentence vector. */
    @Test
    void tokenStatesCarryTheirMaskAndPoolToTheSentenceVector() {
        List<String> texts = List.of("Hello, world!", "A longer sentence with more words in it.");
        TokenStates s = english.tokens(texts);
        assertEquals(2, s.sentences());
        assertEquals(english.tokenIds(texts.get(1)).length, s.tokens());
        assertEquals(6, s.length(0));
        assertEquals(s.tokens(), s.length(1));
        int h = s.hidden();
        for (int t = 6; t < s.tokens(); t++) {
            assertEquals(0, s.mask()[t]);
            for (int d = 0; d < h; d++) {
                assertEquals(0f, s.states()[t * h + d]);
            }
        }
        float[] mean = new float[h];
        for (int t = 0; t < 6; t++) {
            for (int d = 0; d < h; d++) {
                mean[d] += s.states()[t * h + d] / 6;
            }
        }
        double norm = 0;
        for (float x : mean) {
            norm += x * x;
        }
        float[] v = english.sentences(List.of(texts.get(0)));
        for (int d = 0; d < h; d++) {
            assertEquals(v[d], mean[d] / Math.sqrt(norm), 1e-4);
        }
        // bge pools the [CLS] state
        TokenStates c = chinese.tokens(List.of("你好，世界"));
        float[] cv = chinese.sentences(List.of("你好，世界"));
        double cn = 0;
        for (int d = 0; d < c.hidden(); d++) {
            cn += c.states()[d] * c.states()[d];
        }
        for (int d = 0; d < c.hidden(); d++) {
            assertEquals(cv[d], c.states()[d] / Math.sqrt(cn), 1e-4);
        }
    }

    @Test
    void anUnknownModelNameListsTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> TextModel.of("gpt"));
        assertTrue(e.getMessage().contains("minilm-l6") && e.getMessage().contains("bge-small-zh"), e.getMessage());
        assertEquals(TextModel.BGE_SMALL_ZH, TextModel.of("BGE-SMALL-ZH"));
    }
}
