package vidkit.serve;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import vidkit.data.InvalidDataException;
import vidkit.core.Configs;

/**
 * Everything {@code vidkit serve} needs; the same JSON (with {@code "type": "serve"}) drives the
 * command line ({@code --config}, {@code --set}) and the server. Defaults live here only.
 *
 * @param type {@code "serve"}
 * @param run a twotower or cca run: embeds the query videos of {@code /v1/match} (and of {@code
 *     /v1/similar} without a {@code similarity} run); required unless {@code similarity} is given
 *     (a server for similar videos only)
 * @param library the audio embedding library searched by {@code /v1/match} ({@code vidkit embed
 *     --modality audio}); required with {@code run}
 * @param index an HNSW index of {@code library} ({@code vidkit index build}); without it search is exact
 * @param videoLibrary a video embedding library for {@code /v1/similar} (optional; required with
 *     {@code similarity}): the matching run's video embeddings ({@code vidkit embed}) or a
 *     similarity run's ({@code vidkit predict})
 * @param similarity a similarity run ({@code "type": "similarity"}) whose embeddings {@code
 *     videoLibrary} holds: it embeds {@code /v1/similar}'s query features (video level, {@code
 *     [1][visualDim + audioDim]}) (optional)
 * @param videoData YouTube-8M shards (file, directory or glob) holding the video library's videos:
 *     their labels are given with every video and neighbour, so a person can judge the neighbours
 *     (optional)
 * @param vocabulary YouTube-8M {@code vocabulary.csv}: names for {@code videoData}'s labels
 *     (optional; without it labels are shown as class numbers)
 * @param videoIndex an HNSW index of {@code videoLibrary} (optional)
 * @param features a paired dataset directory ({@code vfeat/}, {@code afeat/}): lets requests name
 *     items by id, and is what re-ranking and the web page read (optional)
 * @param tagger a tagging run for {@code /v1/tags} (optional)
 * @param answerer a question-answering run ({@code "type": "qa"}) for {@code /v1/ask}: questions about a clip of
 *     {@code features} by id, or about per-second features sent (optional)
 * @param rerank a cross-model matching run (localmix, rnncnn, …) that re-orders the top {@code
 *     rerankK} of {@code /v1/match} when a request asks (needs {@code features}) (optional)
 * @param rerankK how many first-stage hits are re-ranked (default 20)
 * @param host address to bind (default 127.0.0.1: loopback only)
 * @param port TCP port (default 8080; 0 = any free port)
 * @param ef HNSW candidates per query (default 64: recall@10 ≈ 0.99 on 100,000 embeddings; see the README)
 * @param maxK the largest k a request may ask (default 100)
 * @param maxBodyBytes the largest request body accepted (default 4 MiB); larger → 413
 * @param requestTimeoutSeconds the longest a client may take to send a request, and the longest a
 *     response may take to be written (default 10)
 * @param maxConcurrent requests handled at once; beyond it → 503 with {@code Retry-After} (default 32)
 * @param computeThreads encoder threads, each running one batched model call at a time with one
 *     PyTorch thread (default: the machine's cores)
 * @param shutdownGraceSeconds how long a graceful stop waits for requests in flight (default 5)
 * @param warmupQueries the most {@code /v1/match} requests the server sends itself over loopback
 *     HTTP once it listens and before it reports ready ({@code /healthz} says {@code "warming"}
 *     meanwhile), so the first users do not pay for the JIT and cold pages; it stops earlier once
 *     the JIT has gone quiet (see {@code Server}) (default 20000; 0 = none)
 * @param maxVideoPixels the largest frame (width × height) of an uploaded video file (default
 *     3840 × 2160); uploads must also fit in {@code maxBodyBytes}
 * @param models the pretrained models' directory for extracting uploads (default: {@code
 *     vidkit.media.ModelFiles#defaultDir()}, the project's {@code ../shared/models})
 * @param authToken the API token every request but {@code /healthz} must carry ({@code Authorization:
 *     Bearer TOKEN}, or Basic with the token as password); at least 16 visible ASCII characters.
 *     Required (this or {@code authTokenFile}) when {@code host} is not a loopback address
 * @param authTokenFile a file whose first line is the token (kept out of command lines and configs)
 * @param tlsKeystore a PKCS#12 keystore with the server's key and certificate: serve HTTPS (optional)
 * @param tlsKeystorePassword the keystore's password (required with {@code tlsKeystore})
 * @param accessLog a file to append one JSON line per request to (request id, time, remote address,
 *     method, route, status, bytes, milliseconds), or {@code -} for stderr (optional)
 */
@JsonTypeName("serve")
public record ServeConfig(String type, String run, String library, String index, String videoLibrary, String videoIndex,
        String similarity, String videoData, String vocabulary, String features, String tagger, String answerer, String rerank, Integer rerankK, String host, Integer port, Integer ef, Integer maxK,
        Integer maxBodyBytes, Integer requestTimeoutSeconds, Integer maxConcurrent, Integer computeThreads,
        Integer shutdownGraceSeconds, Integer warmupQueries, Long maxVideoPixels, String models, String authToken,
        String authTokenFile, String tlsKeystore, String tlsKeystorePassword, String accessLog) {
    public ServeConfig {
        type = type == null ? "serve" : type;
        if (!type.equals("serve")) {
            throw new IllegalArgumentException("type must be \"serve\", got \"" + type + "\"");
        }
        if (similarity == null && (run == null || run.isBlank())) {
            throw new IllegalArgumentException("run: a twotower or cca run directory is required (or a similarity run "
                    + "and its videoLibrary, for similar videos only)");
        }
        if (run != null && (library == null || library.isBlank())) {
            throw new IllegalArgumentException("library: an audio embedding library is required with a matching run");
        }
        if (run == null && (library != null || index != null || features != null || rerank != null)) {
            throw new IllegalArgumentException("library, index, features and rerank serve matching: they need run");
        }
        if (similarity != null && videoLibrary == null) {
            throw new IllegalArgumentException("similarity needs videoLibrary: the run's embeddings of the videos to search "
                    + "(vidkit predict --run RUN --data SHARDS --out LIB.vkemb)");
        }
        if (videoData != null && videoLibrary == null) {
            throw new IllegalArgumentException("videoData names the video library's videos: it needs videoLibrary");
        }
        if (vocabulary != null && videoData == null) {
            throw new IllegalArgumentException("vocabulary names videoData's labels: it needs videoData");
        }
        if (videoIndex != null && videoLibrary == null) {
            throw new IllegalArgumentException("videoIndex needs videoLibrary");
        }
        if (rerank != null && features == null) {
            throw new IllegalArgumentException("rerank needs features: the cross model reads the candidates' audio features");
        }
        rerankK = rerankK == null ? 20 : rerankK;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8080 : port;
        ef = ef == null ? 64 : ef;
        maxK = maxK == null ? 100 : maxK;
        maxBodyBytes = maxBodyBytes == null ? 4 << 20 : maxBodyBytes;
        requestTimeoutSeconds = requestTimeoutSeconds == null ? 10 : requestTimeoutSeconds;
        maxConcurrent = maxConcurrent == null ? 32 : maxConcurrent;
        computeThreads = computeThreads == null ? Runtime.getRuntime().availableProcessors() : computeThreads;
        maxVideoPixels = maxVideoPixels == null ? 3840L * 2160 : maxVideoPixels;
        if (maxVideoPixels < 1) {
            throw new IllegalArgumentException("maxVideoPixels must be >= 1");
        }
        shutdownGraceSeconds = shutdownGraceSeconds == null ? 5 : shutdownGraceSeconds;
        warmupQueries = warmupQueries == null ? 20000 : warmupQueries;
        if (authToken != null && authTokenFile != null) {
            throw new IllegalArgumentException("authToken and authTokenFile: give one");
        }
        if (authToken != null) {
            Access.check(authToken, "authToken");
        }
        if ((tlsKeystore == null) != (tlsKeystorePassword == null)) {
            throw new IllegalArgumentException("tlsKeystore and tlsKeystorePassword go together");
        }
        if (authToken == null && authTokenFile == null && !isLoopback(host)) {
            throw new IllegalArgumentException("host " + host + " is reachable beyond this machine: it needs an API token "
                    + "(authTokenFile=FILE, or --set authToken=...; at least " + Access.MIN_TOKEN + " characters), and "
                    + "TLS (tlsKeystore) unless the network is trusted");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (rerankK < 1 || ef < 1 || maxK < 1 || maxBodyBytes < 1024 || requestTimeoutSeconds < 1 || maxConcurrent < 1
                || computeThreads < 1 || shutdownGraceSeconds < 0 || warmupQueries < 0) {
            throw new IllegalArgumentException("rerankK, ef, maxK, requestTimeoutSeconds, maxConcurrent and computeThreads "
                    + "must be >= 1, maxBodyBytes >= 1024, shutdownGraceSeconds and warmupQueries >= 0");
        }
    }

    /** The config with its secrets ({@code authToken}, {@code tlsKeystorePassword}) shown as {@code ***}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ServeConfig[");
        for (java.lang.reflect.RecordComponent c : ServeConfig.class.getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                v = "?";
            }
            boolean secret = c.getName().equals("authToken") || c.getName().equals("tlsKeystorePassword");
            b.append(c.getName()).append('=').append(secret && v != null ? "***" : v).append(", ");
        }
        b.setLength(b.length() - 2);
        return b.append(']').toString();
    }

    /** Whether {@code host} names only this machine (127.0.0.0/8, ::1, localhost). */
    static boolean isLoopback(String host) {
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            for (java.net.InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("host " + host + " is not an address of this machine: " + e.getMessage());
        }
    }

    /** The config in {@code file} (may be null) with {@code key=value} overrides, validated. */
    public static ServeConfig load(Path file, List<String> overrides) throws IOException {
        return Configs.bind(Configs.readTree(file, overrides), ServeConfig.class, file == null ? Path.of("--set") : file);
    }

    static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    /** Fails with the config's name for a path that does not exist. */
    void checkPaths() throws InvalidDataException {
        String[][] all = {{"run", run}, {"library", library}, {"index", index}, {"videoLibrary", videoLibrary},
                {"videoIndex", videoIndex}, {"similarity", similarity}, {"vocabulary", vocabulary}, {"features", features},
                {"tagger", tagger}, {"answerer", answerer}, {"rerank", rerank}, {"authTokenFile", authTokenFile},
                {"tlsKeystore", tlsKeystore}};
        for (String[] p : all) {
            if (p[1] != null && !java.nio.file.Files.exists(Path.of(p[1]))) {
                throw new InvalidDataException(Path.of(p[1]), p[0] + " does not exist");
            }
        }
    }

    /** The models directory for uploads: {@code models}, else the default. */
    public java.nio.file.Path modelsDir() {
        return models == null ? vidkit.media.ModelFiles.defaultDir() : java.nio.file.Path.of(models);
    }
}
