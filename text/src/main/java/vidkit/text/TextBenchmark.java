package vidkit.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Sentences per second of a {@link TextModel}: seeded English or Chinese sentences of title and
 * question length (6–20 words, or 8–30 characters), encoded in the encoder's batches; the median of
 * several passes after one warm-up pass.
 */
public final class TextBenchmark {
    private static final String[] WORDS = ("a the man woman dog cat car train bell guitar violin helicopter plays "
            + "is are runs sings rings drives flies over under in on near park street church kitchen river mountain "
            + "loud quiet small large red blue old new people crowd baby cries speaks laughs what how many where when "
            + "video clip scene after before during").split(" ");
    private static final String HANZI = "一个男人女人狗猫汽车火车钟吉他小提琴直升机在弹跑唱响开飞过下里公园街道教堂厨房河山大小红蓝"
            + "老新人群婴儿哭说笑什么多少哪里时候视频片段场景之前之后";

    private TextBenchmark() {}

    /** {@code n} seeded sentences: English words, or Chinese characters when {@code chinese}. */
    public static List<String> sentences(int n, boolean chinese, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            if (chinese) {
                int len = 8 + r.nextInt(23);
                for (int k = 0; k < len; k++) {
                    b.append(HANZI.charAt(r.nextInt(HANZI.length())));
                }
                b.append('。');
            } else {
                int len = 6 + r.nextInt(15);
                for (int k = 0; k < len; k++) {
                    b.append(k == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
                }
                b.append('.');
            }
            out.add(b.toString());
        }
        return out;
    }

    /** Median sentences/s of {@code repeats} passes over {@code n} sentences with {@code threads} threads. */
    public static double sentencesPerSecond(TextModel model, int threads, int n, int repeats) {
        List<String> texts = sentences(n, model == TextModel.BGE_SMALL_ZH, 11);
        try (OnnxTextEncoder e = OnnxTextEncoder.open(model, threads)) {
            e.sentences(texts.subList(0, Math.min(n, 64)));
            double[] rates = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                e.sentences(texts);
                rates[i] = n / ((System.nanoTime() - start) / 1e9);
            }
            Arrays.sort(rates);
            return rates[repeats / 2];
        }
    }
}
