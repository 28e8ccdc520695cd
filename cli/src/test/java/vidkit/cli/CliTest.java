package vidkit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vidkit.data.Npy;
import vidkit.data.NpyArray;
import vidkit.data.SyntheticPairs;

/** The command line end to end, in-process: real files, real engine. */
class CliTest {
    record Outcome(int status, String out, String err) {}

    static synchronized Outcome run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = Main.newCommandLine().setErr(new java.io.PrintWriter(System.err, true)).execute(args);
            return new Outcome(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void demoRunsEndToEnd(@TempDir Path runs) throws Exception {
        Outcome r = run("demo", "--runs", runs.toString(), "--epochs", "6");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Course protocol: 50-way subsets"), r.out());
        assertTrue(r.out().contains("video->audio"), r.out());
        assertTrue(r.out().contains("run directory: "), r.out());
        Path runDir = Path.of(r.out().substring(r.out().indexOf("run directory: ") + 15).strip());
        assertTrue(Files.exists(runDir.resolve("checkpoints/best.ckpt")));
        // the built-in data is learnable: far above the 50-way chance level of 0.10 at top-5
        var eval = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runDir.resolve("evaluation.json").toFile());
        double top5 = eval.at("/report/subsetTopK/5").asDouble();
        assertTrue(top5 > 0.3, "demo top-5 " + top5);

        // match writes the matrix in sorted-id order and the top-k CSV
        Path data = runs.resolve("demo-data");
        Path out = runs.resolve("out/S.npy");
        Outcome m = run("match", "--run", runDir.toString(), "--videos", data.resolve("vfeat").toString(), "--audios",
                data.resolve("afeat").toString(), "--out", out.toString(), "--top-k", "3");
        assertEquals(0, m.status(), m.err());
        NpyArray s = Npy.read(out);
        int n = DemoCommand.CLIPS;
        assertArrayEquals(new int[] {n, n}, s.shape());
        List<String> csv = Files.readAllLines(runs.resolve("out/S.topk.csv"));
        assertEquals(1 + 3 * n, csv.size());
        assertTrue(csv.get(1).startsWith("0000,1,"));
        // the CSV's first pick is the row's maximum
        String best = csv.get(1).split(",")[2];
        float max = Float.NEGATIVE_INFINITY;
        int arg = -1;
        for (int c = 0; c < n; c++) {
            if (s.floats()[c] > max) {
                max = s.floats()[c];
                arg = c;
            }
        }
        assertEquals(String.format("%04d", arg), best);

        // re-ranked by the same model: the short list's pair scores equal the matrix entries, the order stays
        Outcome mr = run("match", "--run", runDir.toString(), "--videos", data.resolve("vfeat").toString(), "--audios",
                data.resolve("afeat").toString(), "--out", runs.resolve("out/R.npy").toString(), "--top-k", "3",
                "--rerank", runDir.toString(), "--rerank-k", "3");
        assertEquals(0, mr.status(), mr.err());
        List<String> rcsv = Files.readAllLines(runs.resolve("out/R.topk.csv"));
        assertEquals("video_id,rank,audio_id,score,rerank_score", rcsv.get(0));
        for (int line = 1; line < rcsv.size(); line++) {
            String[] f = rcsv.get(line).split(",");
            assertEquals(Double.parseDouble(f[3]), Double.parseDouble(f[4]), 1e-3, rcsv.get(line));
            assertEquals(csv.get(line).split(",")[2], f[2], "same order as without re-ranking");
        }

        // the audio library embedded once, searched exactly: each video's first hit is match's first pick
        Path lib = runs.resolve("out/audio.vkemb");
        Outcome em = run("embed", "--run", runDir.toString(), "--data", data.resolve("afeat").toString(), "--modality",
                "audio", "--out", lib.toString());
        assertEquals(0, em.status(), em.err());
        Outcome se = run("index", "search", "--library", lib.toString(), "--run", runDir.toString(), "--queries",
                data.resolve("vfeat").toString(), "--modality", "video", "-k", "3", "--out", runs.resolve("out/hits.csv").toString());
        assertEquals(0, se.status(), se.err());
        List<String> hits = Files.readAllLines(runs.resolve("out/hits.csv"));
        assertEquals("query_id,rank,library_id,score", hits.get(0));
        assertEquals(1 + 3 * n, hits.size());
        for (int line = 1; line < hits.size(); line += 3) {
            assertEquals(csv.get(line).split(",")[2], hits.get(line).split(",")[2], hits.get(line));
        }
        // the same library through an HNSW index: a small library, ef above its size, so the same first picks
        Path hnsw = runs.resolve("out/audio.hnsw");
        Outcome built = run("index", "build", "--library", lib.toString(), "--out", hnsw.toString());
        assertEquals(0, built.status(), built.err());
        assertTrue(built.out().contains("indexed " + n + " "), built.out());
        Outcome again = run("index", "build", "--library", lib.toString(), "--out", hnsw.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already exists"), again.err());
        Outcome hs = run("index", "search", "--library", lib.toString(), "--index", hnsw.toString(), "--ef", "500", "--run",
                runDir.toString(), "--queries", data.resolve("vfeat").toString(), "--modality", "video", "-k", "3", "--out",
                runs.resolve("out/hnsw-hits.csv").toString());
        assertEquals(0, hs.status(), hs.err());
        List<String> approx = Files.readAllLines(runs.resolve("out/hnsw-hits.csv"));
        assertEquals(hits.size(), approx.size());
        int same = 0;
        for (int line = 0; line < hits.size(); line++) {
            same += hits.get(line).equals(approx.get(line)) ? 1 : 0;
        }
        // the graph search is approximate: nearly every (query, rank) line equals the exact one, score included
        assertTrue(same >= 0.95 * hits.size(), same + " of " + hits.size() + " lines as exact search");
        // a load-test library: the real rows first, then synthetic ones
        Path big = runs.resolve("out/big.vkemb");
        Outcome syn = run("index", "synthesize", "--like", lib.toString(), "--count", Integer.toString(3 * n), "--out", big.toString());
        assertEquals(0, syn.status(), syn.err());
        try (var l = vidkit.index.EmbeddingLibrary.open(big); var real = vidkit.index.EmbeddingLibrary.open(lib)) {
            assertEquals(3 * n, l.size());
            assertEquals(real.ids(), l.ids().subList(0, n));
            assertArrayEquals(real.row(n - 1), l.row(n - 1));
            assertEquals("synthetic-0000000", l.ids().get(n));
            float norm = 0;
            for (float x : l.row(2 * n)) {
                norm += x * x;
            }
            assertEquals(1f, norm, 1e-4f);
        }

        // served: the load generator and the malformed-request barrage against a real server on loopback
        try (vidkit.serve.Server server = vidkit.serve.Server.start(vidkit.serve.ServeConfig.load(null, List.of(
                "run=" + runDir, "library=" + lib, "index=" + hnsw, "features=" + data, "port=0", "computeThreads=1", "warmupQueries=20")))) {
            String url = server.baseUri().toString();
            Outcome load = run("load", "--url", url, "--videos", data.resolve("vfeat").toString(), "--concurrency", "4",
                    "--requests", "200", "--warmup", "20");
            assertEquals(0, load.status(), load.err() + load.out());
            assertTrue(load.out().contains("statuses {200=200}"), load.out());
            Outcome npy = run("load", "--url", url, "--videos", data.resolve("vfeat").toString(), "--concurrency", "2",
                    "--requests", "50", "--warmup", "5", "--npy");
            assertEquals(0, npy.status(), npy.err() + npy.out());
            Outcome bad = run("load", "--url", url, "--videos", data.resolve("vfeat").toString(), "--malformed", "68");
            assertEquals(0, bad.status(), bad.err() + bad.out());
            assertTrue(bad.out().contains("5xx answers: 0; a valid request afterwards answers exactly as before"), bad.out());
        }

        // beyond loopback's defaults: a server with a token and TLS (a keytool certificate), loaded with
        // --token-file and --truststore, as a short soak; without the token the command names the 401
        Path ks = runs.resolve("out/server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "vidkit", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                ks.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), keytoolOut);
        Path token = Files.writeString(runs.resolve("out/token"), "0123456789abcdef-cli-token\n");
        try (vidkit.serve.Server server = vidkit.serve.Server.start(vidkit.serve.ServeConfig.load(null, List.of(
                "run=" + runDir, "library=" + lib, "features=" + data, "port=0", "computeThreads=1", "warmupQueries=20",
                "authTokenFile=" + token, "tlsKeystore=" + ks, "tlsKeystorePassword=changeit")))) {
            String url = server.baseUri().toString();
            assertTrue(url.startsWith("https://"), url);
            Outcome soak = run("load", "--url", url, "--videos", data.resolve("vfeat").toString(), "--concurrency", "2",
                    "--duration", "2", "--interval", "1", "--token-file", token.toString(), "--truststore", ks.toString(),
                    "--truststore-password", "changeit");
            assertEquals(0, soak.status(), soak.err() + soak.out());
            assertTrue(soak.out().contains("soak: PASSED"), soak.out());
            assertTrue(soak.out().lines().filter(l -> l.matches("\\s+[12]\\s+.*")).count() == 2, soak.out());
            Outcome noToken = run("load", "--url", url, "--videos", data.resolve("vfeat").toString(), "--requests", "5",
                    "--warmup", "0", "--truststore", ks.toString(), "--truststore-password", "changeit");
            assertNotEquals(0, noToken.status());
            assertTrue(noToken.err().contains("401"), noToken.err());
        }

        Outcome badModality = run("embed", "--run", runDir.toString(), "--data", data.resolve("afeat").toString(),
                "--modality", "sound", "--out", lib.toString());
        assertEquals(2, badModality.status());
        assertTrue(badModality.err().contains("--modality"), badModality.err());

        Outcome ev = run("evaluate", "--run", runDir.toString(), "--data", data.toString());
        assertEquals(0, ev.status(), ev.err());
        assertTrue(ev.out().contains("all clips"), ev.out());

        // an ensemble of the run with itself, dual-softmax normalized
        Outcome ens = run("evaluate", "--run", runDir.toString(), "--run", runDir.toString(),
                "--normalization", "dual_softmax");
        assertEquals(0, ens.status(), ens.err());
        assertTrue(ens.out().contains("an ensemble of 2 runs") && ens.out().contains("dual_softmax"), ens.out());
        assertTrue(Files.exists(runDir.resolve("evaluation-ensemble.json")));
        Outcome sinkhorn = run("evaluate", "--run", runDir.toString(), "--normalization", "sinkhorn");
        assertEquals(0, sinkhorn.status(), sinkhorn.err());
        assertTrue(sinkhorn.out().contains("normalization sinkhorn"), sinkhorn.out());
        Outcome badNorm = run("evaluate", "--run", runDir.toString(), "--normalization", "softmax");
        assertEquals(2, badNorm.status());
        assertTrue(badNorm.err().contains("none, dual_softmax or sinkhorn"), badNorm.err());
        // the run re-ranked by itself: the ranking is unchanged
        assertEquals(0, run("evaluate", "--run", runDir.toString()).status());
        Outcome rr = run("evaluate", "--run", runDir.toString(), "--rerank", runDir.toString(), "--rerank-k", "5");
        assertEquals(0, rr.status(), rr.err());
        assertTrue(rr.out().contains("top 5 re-ranked by"), rr.out());
        var plain = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runDir.resolve("evaluation.json").toFile());
        var reranked = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(runDir.resolve("evaluation-reranked.json").toFile());
        assertEquals(plain.at("/report/videoToAudio/medianRank/value").asDouble(),
                reranked.at("/report/videoToAudio/medianRank/value").asDouble());
        Outcome bad = run("evaluate", "--run", runDir.toString(), "--normalization", "softmax");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--normalization"), bad.err());
    }

    @Test
    void badInputEndsWithStatusTwoAndTheFileNamed(@TempDir Path dir) throws Exception {
        Outcome r = run("train", "--set", "type=matching", "--set", "data=" + dir.resolve("missing"), "--runs", dir.resolve("runs").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("missing") && r.err().contains("does not exist"), r.err());

        Path cfg = dir.resolve("bad.json");
        Files.writeString(cfg, "{\"type\": \"matching\", \"data\": \"x\", \"modle\": {}}");
        r = run("train", "--config", cfg.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.json") && r.err().contains("modle"), r.err());

        Files.writeString(cfg, "{\"data\": \"x\"}");
        r = run("train", "--config", cfg.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.json") && r.err().contains("\"type\"") && r.err().contains("matching, qa, similarity, tagging"),
                r.err());

        r = run("evaluate", "--run", dir.resolve("norun").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("norun"), r.err());

        r = run("train", "--set", "type=matching", "--set", "data=x", "--set", "epochs=0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("epochs"), r.err());
    }

    @Test
    void matchRejectsMismatchedFeaturesAndWritesNothing(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("d");
        SyntheticPairs.write(data, 40, 6, 16, 8, 4, 3);
        Outcome t = run("train", "--set", "type=matching", "--set", "data=" + data, "--set", "model.type=twotower", "--set", "model.hidden=16",
                "--set", "model.embedding=8", "--set", "epochs=1", "--set", "batchSize=16",
                "--runs", dir.resolve("runs").toString());
        assertEquals(0, t.status(), t.err());
        Path runDir = Path.of(t.out().substring(t.out().lastIndexOf("run directory: ") + 15).strip());
        Path out = dir.resolve("S.npy");
        // audio features given as videos: wrong feature size
        Outcome m = run("match", "--run", runDir.toString(), "--videos", data.resolve("afeat").toString(),
                "--audios", data.resolve("afeat").toString(), "--out", out.toString());
        assertEquals(2, m.status());
        assertTrue(m.err().contains("trained on"), m.err());
        assertFalse(Files.exists(out));
        // a corrupt file among the audios
        Files.write(data.resolve("afeat/0003.npy"), new byte[] {1, 2, 3});
        m = run("match", "--run", runDir.toString(), "--videos", data.resolve("vfeat").toString(),
                "--audios", data.resolve("afeat").toString(), "--out", out.toString());
        assertEquals(2, m.status());
        assertTrue(m.err().contains("0003.npy"), m.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void everyShippedConfigBindsToItsTaskThroughTheRegistry() throws Exception {
        Path configs = Path.of(System.getProperty("vidkit.root", "..")).resolve("configs");
        List<Path> files;
        try (var s = Files.list(configs)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no configs in " + configs);
        for (Path f : files) {
            var c = vidkit.core.TaskRegistry.loadConfig(f, List.of());
            assertTrue(c.data().startsWith("../shared/data/"), f.toString());
            if (c instanceof vidkit.matching.MatchingConfig m) {
                assertEquals("../shared/data/std2022/train", m.data(), f.toString());
            }
        }
    }

    /** embed-text: one unit vector per line, paraphrases closest; bad UTF-8 and unknown models are named errors. */
    @Test
    void embedTextWritesOneUnitVectorPerLine(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("titles.txt");
        Files.writeString(in, "A man plays the guitar.\nSomeone is playing a guitar.\n\nThe stock market fell today.\n",
                StandardCharsets.UTF_8);
        Path out = dir.resolve("titles.npy");
        Outcome r = run("--threads", "1", "embed-text", "--in", in.toString(), "--out", out.toString(), "--batch", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("embedded 4 lines with minilm-l6 (384 dimensions)"), r.out());
        NpyArray a = Npy.read(out);
        assertArrayEquals(new int[] {4, 384}, a.shape());
        float[] v = a.floats();
        double[] cos = new double[4];
        for (int i = 0; i < 4; i++) {
            for (int d = 0; d < 384; d++) {
                cos[i] += v[d] * v[i * 384 + d];
            }
        }
        assertEquals(1.0, cos[0], 1e-5);
        assertTrue(cos[1] > cos[3] + 0.25 && cos[1] > cos[2], java.util.Arrays.toString(cos));

        Outcome zh = run("--threads", "1", "embed-text", "--in", writeLines(dir, "zh.txt", "你好，世界"), "--out",
                dir.resolve("zh.npy").toString(), "--model", "bge-small-zh");
        assertEquals(0, zh.status(), zh.err());
        assertArrayEquals(new int[] {1, 512}, Npy.read(dir.resolve("zh.npy")).shape());

        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        Outcome b = run("embed-text", "--in", bad.toString(), "--out", dir.resolve("bad.npy").toString());
        assertEquals(Main.BAD_INPUT, b.status());
        assertTrue(b.err().contains("bad.txt") && b.err().contains("line 2") && b.err().contains("UTF-8"), b.err());
        assertFalse(Files.exists(dir.resolve("bad.npy")));
        Outcome m = run("embed-text", "--in", in.toString(), "--out", dir.resolve("m.npy").toString(), "--model", "gpt");
        assertEquals(Main.BAD_INPUT, m.status());
        assertTrue(m.err().contains("minilm-l6"), m.err());
    }

    private static String writeLines(Path dir, String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f.toString();
    }

    /**
     * Raw media to a trained model: clips made with Debian's ffmpeg from real photographs and sounds
     * (two kinds: an eagle with a bell, a dog with speech), {@code extract} into the paired layout,
     * a tagger trained on them, {@code predict} on them. Needs ffmpeg, darknet,
     * sound-theme-freedesktop and espeak-ng (./run-tests installs them).
     */
    @Test
    void extractThenTrainATaggerThenPredict(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("media"));
        Path photos = Path.of("/usr/share/darknet/data");
        Path speech = dir.resolve("speech.wav");
        exec("espeak-ng", "-w", speech.toString(), "The dog is barking in the garden.");
        StringBuilder labels = new StringBuilder("id,label,event,youtube_id\n");
        for (int i = 0; i < 10; i++) {
            boolean eagle = i % 2 == 0;
            String id = (eagle ? "eagle" : "dog") + i;
            exec("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-loop", "1", "-framerate", "10", "-t", "3", "-i",
                    photos.resolve(eagle ? "eagle.jpg" : "dog.jpg").toString(), "-stream_loop", "-1", "-i",
                    eagle ? "/usr/share/sounds/freedesktop/stereo/bell.oga" : speech.toString(), "-vf",
                    "crop=iw-" + 8 * i + ":ih-" + 8 * i + ",scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p", "-c:v",
                    "libx264", "-preset", "ultrafast", "-c:a", "aac", "-t", "3", in.resolve(id + ".mp4").toString());
            labels.append(id).append(',').append(eagle ? 0 : 1).append(',').append(eagle ? "Eagle" : "Dog").append(",v")
                    .append(i).append('\n');
        }
        Path out = dir.resolve("features");
        Outcome x = run("--threads", "1", "extract", "--videos", in.toString(), "--out", out.toString(), "--seconds", "2");
        assertEquals(0, x.status(), x.err());
        assertTrue(x.out().contains("extracted 10 files"), x.out());
        assertArrayEquals(new int[] {2, 1280}, Npy.read(out.resolve("vfeat/eagle0.npy")).shape());
        Files.writeString(out.resolve("labels.csv"), labels);
        // a rerun does nothing new
        Outcome again = run("--threads", "1", "extract", "--videos", in.toString(), "--out", out.toString(), "--seconds", "2");
        assertTrue(again.out().contains("extracted 0 files") && again.out().contains("skipped 10"), again.out());

        Path runs = dir.resolve("runs");
        Outcome t = run("--threads", "1", "train", "--config", Path.of(System.getProperty("vidkit.root"), "configs",
                "ave-tagger.json").toString(), "--runs", runs.toString(), "--set", "data=" + out, "--set", "epochs=3",
                "--set", "batchSize=4", "--set", "split.validationFraction=0.4");
        assertEquals(0, t.status(), t.err());
        Path run = Path.of(t.out().substring(t.out().indexOf("run directory: ") + 15).strip());
        // the run knows which extractors made its features
        var extractor = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("provenance.json").toFile())
                .get("featureExtractor");
        assertEquals("83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f",
                extractor.at("/visual/sha256").asText(), extractor.toString());
        assertEquals(1280, extractor.at("/visual/dimension").asInt());
        assertEquals("yamnet", extractor.at("/audio/name").asText());
        assertEquals(1024, extractor.at("/audio/dimension").asInt());
        assertFalse(extractor.has("clips"));
        Path submission = dir.resolve("predictions.csv");
        Outcome p = run("--threads", "1", "predict", "--run", run.toString(), "--data", out.toString(), "--out",
                submission.toString());
        assertEquals(0, p.status(), p.err());
        List<String> rows = Files.readAllLines(submission);
        assertEquals(11, rows.size(), rows.toString());

        // the YouTube-8M layout: frame-level shards a frame-level tagger trains on unchanged
        Path yt = dir.resolve("yt8m");
        Outcome y = run("--threads", "1", "extract", "--videos", in.toString(), "--out", yt.toString(), "--format", "yt8m",
                "--labels", out.resolve("labels.csv").toString(), "--shard-size", "4");
        assertEquals(0, y.status(), y.err());
        assertTrue(y.out().contains("wrote 10 clips into 3 YouTube-8M frame-level shards"), y.out());
        Outcome ft = run("--threads", "1", "train", "--config", Path.of(System.getProperty("vidkit.root"), "configs",
                "yt8m-moe.json").toString(), "--runs", runs.toString(), "--set", "data=" + yt.resolve("train-*.tfrecord"),
                "--set", "frameLevel=true", "--set", "epochs=2", "--set", "batchSize=4", "--set", "vocabulary="
                + Path.of(System.getProperty("vidkit.sharedData"), "yt8m", "vocabulary.csv"));
        assertEquals(0, ft.status(), ft.err() + ft.out());
        assertTrue(ft.out().contains("10 videos"), ft.out());

        // a folder with a file that is no media: the others are extracted, the bad one named, exit status 2
        Files.writeString(in.resolve("notes.mp4"), "not a video");
        Outcome bad = run("--threads", "1", "extract", "--videos", in.toString(), "--out", dir.resolve("f2").toString(),
                "--seconds", "2");
        assertEquals(Main.BAD_INPUT, bad.status());
        assertTrue(bad.out().contains("extracted 10 files") && bad.out().contains("notes.mp4"), bad.out());
    }

    private static void exec(String... command) throws Exception {
        Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(proc.getInputStream().readAllBytes());
        assertEquals(0, proc.waitFor(), String.join(" ", command) + ": " + output);
    }

    /** pairs make on the real YouTube-8M shards (small counts), then the raw-feature baseline; a bad pairs file is named. */
    @Test
    void pairsAreMadeFromYouTube8MLabelsAndEvaluated(@TempDir Path dir) throws Exception {
        Path shared = Path.of(System.getProperty("vidkit.sharedData"), "yt8m");
        String shards = shared.resolve("video-level").resolve("validate000*.tfrecord").toString();
        Outcome m = run("pairs", "make", "--data", shards, "--vocabulary", shared.resolve("vocabulary.csv").toString(),
                "--out", dir.toString(), "--train-pairs", "900", "--validation-pairs", "300");
        assertEquals(0, m.status(), m.err());
        assertTrue(m.out().contains("900 train pairs") && m.out().contains("not human judgements"), m.out());
        List<String> val = Files.readAllLines(dir.resolve("validation-pairs.csv"));
        assertEquals(301, val.size());
        var valIds = new java.util.HashSet<>(Files.readAllLines(dir.resolve("split/validation-ids.txt")));
        for (String line : val.subList(1, val.size())) {
            String[] f = line.split(",");
            assertTrue(valIds.contains(f[0]) && valIds.contains(f[1]), "validation pairs stay on their side: " + line);
        }
        Outcome e = run("pairs", "evaluate", "--pairs", dir.resolve("validation-pairs.csv").toString(), "--data", shards,
                "--bootstrap", "50");
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("Spearman"), e.out());
        // a small similarity run on these pairs, embedded into a library by `embed` (no --modality: whole videos)
        Outcome t = run("--threads", "1", "train", "--config", "../configs/similarity-pairwise.json", "--runs",
                dir.resolve("runs").toString(), "--set", "data=" + shards, "--set", "pairs=" + dir, "--set", "epochs=1",
                "--set", "model.hidden=32", "--set", "model.embedding=16");
        assertEquals(0, t.status(), t.err());
        Path run;
        try (var runs = Files.list(dir.resolve("runs"))) {
            run = runs.filter(p -> p.getFileName().toString().startsWith("similarity-pairwise")).findFirst().orElseThrow();
        }
        Path lib = dir.resolve("videos.vkemb");
        Outcome em = run("embed", "--run", run.toString(), "--data", shards, "--out", lib.toString());
        assertEquals(0, em.status(), em.err());
        assertTrue(em.out().contains("16 dimensions") && em.out().contains("videos/s"), em.out());
        try (var library = vidkit.index.EmbeddingLibrary.open(lib)) {
            assertEquals(16, library.dim());
            assertTrue(library.size() > 1000, "videos: " + library.size());
        }
        Outcome withModality = run("embed", "--run", run.toString(), "--data", shards, "--modality", "video", "--out",
                dir.resolve("x.vkemb").toString());
        assertNotEquals(0, withModality.status());
        assertTrue(withModality.err().contains("--modality"), withModality.err());
        Files.writeString(dir.resolve("bad.csv"), "id1,id2,score\nnope,nada,0.5\n");
        Outcome bad = run("pairs", "evaluate", "--pairs", dir.resolve("bad.csv").toString(), "--data", shards);
        assertEquals(Main.BAD_INPUT, bad.status());
        assertTrue(bad.err().contains("bad.csv") && bad.err().contains("line 2"), bad.err());
    }

    /**
     * Question answering end to end on the real AVE clips: generate, train a small graph model and a
     * question-only baseline, evaluate both side by side with the prior, ask by id, answer a file;
     * bad questions and a video file for a run trained on other features end with status 2.
     */
    @Test
    void questionsAreGeneratedTrainedOnEvaluatedAndAsked(@TempDir Path dir) throws Exception {
        Path data = Path.of(System.getProperty("vidkit.sharedData"), "std2022", "train");
        Path questions = dir.resolve("qa.jsonl");
        Outcome g = run("qa", "generate", "--data", data.toString(), "--out", questions.toString());
        assertEquals(0, g.status(), g.err());
        assertTrue(g.out().contains("about 2747 clips") && g.out().contains("generated questions"), g.out());
        Path[] runs = new Path[2];
        String[] kinds = {"graph", "question"};
        for (int k = 0; k < 2; k++) {
            Outcome t = run("--threads", "2", "train", "--config", "../configs/qa-" + kinds[k] + ".json", "--runs",
                    dir.resolve("runs").toString(), "--set", "questions=" + questions, "--set", "data=" + data, "--set",
                    "epochs=1", "--set", "model.hidden=16", "--set", "model.heads=2");
            assertEquals(0, t.status(), t.err());
            try (var list = Files.list(dir.resolve("runs"))) {
                final String prefix = "qa-" + kinds[k];
                runs[k] = list.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
            }
        }
        Outcome e = run("evaluate", "--run", runs[0].toString(), "--run", runs[1].toString());
        assertEquals(0, e.status(), e.err());
        for (String row : List.of("graph", "question", "prior", "when-start: mean error", "answers/s")) {
            assertTrue(e.out().contains(row), row + " in\n" + e.out());
        }
        Outcome a = run("ask", "--run", runs[0].toString(), "--id", "0001", "--question", "When does the church bell end?",
                "--top", "3");
        assertEquals(0, a.status(), a.err());
        assertTrue(a.out().startsWith("answer: "), a.out());
        assertEquals(4, a.out().strip().split("\n").length, a.out());
        Outcome empty = run("ask", "--run", runs[0].toString(), "--id", "0001", "--question", " ");
        assertEquals(Main.BAD_INPUT, empty.status());
        assertTrue(empty.err().contains("question: the question is empty"), empty.err());
        Outcome unknown = run("ask", "--run", runs[0].toString(), "--id", "nope", "--question", "What is it?");
        assertEquals(Main.BAD_INPUT, unknown.status());
        assertTrue(unknown.err().contains("'nope'"), unknown.err());
        Files.write(dir.resolve("clip.mp4"), new byte[100]);
        Outcome video = run("ask", "--run", runs[0].toString(), "--video", dir.resolve("clip.mp4").toString(), "--question",
                "What is it?");
        assertEquals(Main.BAD_INPUT, video.status());
        assertTrue(video.err().contains("vidkit extract did not make"), video.err());
        Path some = dir.resolve("some.jsonl");
        Files.write(some, Files.readAllLines(questions).subList(0, 7));
        Outcome p = run("predict", "--run", runs[0].toString(), "--data", some.toString(), "--top-k", "5", "--out",
                dir.resolve("answers.jsonl").toString());
        assertEquals(0, p.status(), p.err());
        List<String> answers = Files.readAllLines(dir.resolve("answers.jsonl"));
        assertEquals(7, answers.size());
        assertEquals(5, vidkit.core.Json.MAPPER.readTree(answers.get(0)).get("answers").size());
    }
}
