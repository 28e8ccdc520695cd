package vidkit.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import vidkit.data.AtomicFiles;
import vidkit.data.CorruptFileException;
import vidkit.data.InvalidDataException;
import vidkit.data.UnsupportedFormatVersionException;

/**
 * Approximate top-k search over an {@link EmbeddingLibrary} with Lucene's HNSW graph, persisted as a
 * directory: a Lucene index (one document per library row: the vector and the row number) and
 * {@value #META}, which names the library it was built from (its row count, dimension and CRC32C)
 * and the graph's parameters. Opening checks that the library given is that library; Lucene's own
 * files carry checksums, and a damaged one is a {@link CorruptFileException} naming the directory.
 *
 * <p>Scores: the graph is searched with {@code ef} candidates ({@code ef ≥ k}); the candidates are
 * then re-scored with the exact dot product read from the library, so a hit's score is exactly what
 * {@link ExactSearch} gives for that row, with the same order and tie rule (higher score first, then
 * lower row). The graph uses Lucene's {@code DOT_PRODUCT} when every row has unit length (two-tower
 * embeddings do) and {@code MAXIMUM_INNER_PRODUCT} otherwise.
 */
public final class HnswIndex implements AutoCloseable {
    public static final String META = "vidkit-index.json";
    public static final String FORMAT = "vidkit-hnsw";
    public static final int VERSION = 1;
    static final String VECTOR_FIELD = "vector";
    static final String ROW_FIELD = "row";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Graph construction parameters.
     *
     * @param maxConn neighbours per node (Lucene's M; 16 by default)
     * @param beamWidth candidates kept while inserting (efConstruction; 100 by default)
     * @param quantization how the graph compares vectors: {@code "none"} (float32), {@code "int8"} or
     *     {@code "int4"} (Lucene's scalar quantization: faster graph search; the candidates are still
     *     re-scored exactly from the library)
     */
    public record Params(int maxConn, int beamWidth, String quantization) {
        public static final Params DEFAULT = new Params(16, 100, "none");

        public Params {
            if (maxConn < 2 || maxConn > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
                throw new IllegalArgumentException("maxConn must be in [2, " + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN + "], got " + maxConn);
            }
            if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
                throw new IllegalArgumentException("beamWidth must be in [1, " + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH + "], got " + beamWidth);
            }
            quantization = quantization == null ? "none" : quantization;
            if (!List.of("none", "int8", "int4").contains(quantization)) {
                throw new IllegalArgumentException("quantization must be none, int8 or int4, got '" + quantization + "'");
            }
        }

        public Params(int maxConn, int beamWidth) {
            this(maxConn, beamWidth, "none");
        }

        /** The graph format; {@code tiny} = Lucene's tiny-segment threshold (no graph below it), or -1 for its default. */
        KnnVectorsFormat format(int workers, ExecutorService exec, int tiny) {
            if (quantization.equals("none")) {
                if (tiny >= 0) {
                    return new Lucene99HnswVectorsFormat(maxConn, beamWidth, 1, null, tiny);
                }
                return workers == 1 ? new Lucene99HnswVectorsFormat(maxConn, beamWidth)
                        : new Lucene99HnswVectorsFormat(maxConn, beamWidth, workers, exec);
            }
            var encoding = quantization.equals("int8")
                    ? org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE
                    : org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding.PACKED_NIBBLE;
            if (tiny >= 0) {
                return new org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat(encoding, maxConn,
                        beamWidth, 1, null, tiny);
            }
            return workers == 1
                    ? new org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat(encoding, maxConn, beamWidth, 1, null)
                    : new org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat(encoding, maxConn, beamWidth,
                            workers, exec);
        }
    }

    /**
     * Where {@link #build} reports how far it is: {@code done} of {@code total} rows in a phase. The
     * build works on several threads but calls its listener one update at a time (never
     * concurrently), so a listener need not be thread-safe.
     */
    public interface Progress {
        String ADDING = "adding vectors";
        String GRAPH = "building the graph";

        void update(String phase, long done, long total);
    }

    /**
     * Graph-building progress read from Lucene's HNSW log lines ("addVectors [a b): n vectors in …"
     * from the concurrent builder, "built n in …" from the single-threaded one). Only progress depends
     * on their wording: if a Lucene version words them otherwise, the bar just does not move.
     */
    private static final class GraphProgress extends org.apache.lucene.util.InfoStream {
        private static final java.util.regex.Pattern ADDED = java.util.regex.Pattern.compile("^addVectors \\[\\d+ \\d+\\): (\\d+) vectors");
        private static final java.util.regex.Pattern BUILT = java.util.regex.Pattern.compile("^built (\\d+) in");
        private final long total;
        private final Progress progress;
        private final java.util.concurrent.atomic.AtomicLong added = new java.util.concurrent.atomic.AtomicLong();

        GraphProgress(long total, Progress progress) {
            this.total = total;
            this.progress = progress;
        }

        @Override
        public void message(String component, String message) {
            if (progress == null) {
                return;
            }
            java.util.regex.Matcher m = ADDED.matcher(message);
            if (m.find()) {
                progress.update(Progress.GRAPH, Math.min(total, added.addAndGet(Long.parseLong(m.group(1)))), total);
                return;
            }
            m = BUILT.matcher(message);
            if (m.find()) {
                long n = Long.parseLong(m.group(1));
                progress.update(Progress.GRAPH, Math.min(total, added.accumulateAndGet(n, Math::max)), total);
            }
        }

        @Override
        public boolean isEnabled(String component) {
            return progress != null && "HNSW".equals(component);
        }

        @Override
        public void close() {}
    }

    /** What {@link #build} measured. */
    public record BuildStats(int vectors, double seconds, String similarity) {}

    private final Path dir;
    private final EmbeddingLibrary library;
    private final Directory directory;
    private final DirectoryReader reader;
    /** Library row of each document, by global doc id. */
    private final int[] docToRow;
    private final Params params;

    private HnswIndex(Path dir, EmbeddingLibrary library, Directory directory, DirectoryReader reader, int[] docToRow,
            Params params) {
        this.dir = dir;
        this.library = library;
        this.directory = directory;
        this.reader = reader;
        this.docToRow = docToRow;
        this.params = params;
    }

    /**
     * Builds the index of {@code library} into {@code dir} (which must not exist), with {@code
     * threads} indexing threads and as many workers merging the segments into one graph. It is built
     * in a temporary sibling directory that is renamed into place when complete, so a crash leaves
     * no half-built index behind. {@code listener} receives the number of rows added so far.
     */
    public static BuildStats build(EmbeddingLibrary library, Path dir, Params params, int threads, Progress listener)
            throws IOException {
        // the phases run on several threads; the listener is called one update at a time
        Object lock = new Object();
        Progress progress = listener == null ? null : (phase, done, total) -> {
            synchronized (lock) {
                listener.update(phase, done, total);
            }
        };
        if (Files.exists(dir)) {
            throw new InvalidDataException(dir, "already exists; remove it or choose another index directory");
        }
        if (library.size() == 0) {
            throw new InvalidDataException(library.path(), "the library is empty; there is nothing to index");
        }
        int dim = library.dim();
        if (dim > 4096) {
            throw new InvalidDataException(library.path(), dim + "-d vectors; the HNSW index takes at most 4,096 dimensions");
        }
        long t0 = System.nanoTime();
        VectorSimilarityFunction similarity = unitLength(library) ? VectorSimilarityFunction.DOT_PRODUCT
                : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFiles.sweepStale(dir, ""); // what a killed build left: .NAME.PID-* of a dead process
        Path tmp = Files.createTempDirectory(parent, AtomicFiles.tempPrefix(dir));
        int workers = Math.max(1, threads);
        ExecutorService mergeExec = Executors.newFixedThreadPool(workers);
        ExecutorService indexExec = Executors.newFixedThreadPool(workers);
        try {
            // Phase 1 writes the vectors without graphs (a "tiny segment" threshold above any segment
            // size); phase 2 merges them into one segment, building its graph from scratch with
            // `workers` threads (Lucene builds graphs concurrently only when merging).
            KnnVectorsFormat flat = params.format(1, null, Integer.MAX_VALUE / 64);
            KnnVectorsFormat graph = params.format(workers, mergeExec, -1);
            // at most about 20 flushed segments, so that one merge takes them all
            IndexWriterConfig config = writerConfig(flat).setRAMBufferSizeMB(Math.max(256, 4.0 * dim * library.size() / 20 / 1e6))
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
            try (Directory out = FSDirectory.open(tmp); IndexWriter writer = new IndexWriter(out, config)) {
                // two commits, so that at least two segments go into the merge that builds the graph
                AtomicInteger done = new AtomicInteger();
                int half = library.size() / 2;
                addRows(writer, library, 0, half, similarity, workers, indexExec, done, progress);
                writer.commit();
                addRows(writer, library, half, library.size(), similarity, workers, indexExec, done, progress);
                writer.commit();
            }
            try (Directory out = FSDirectory.open(tmp);
                    IndexWriter writer = new IndexWriter(out, writerConfig(graph).setOpenMode(IndexWriterConfig.OpenMode.APPEND)
                            .setInfoStream(new GraphProgress(library.size(), progress)))) {
                writer.forceMerge(1);
                writer.commit();
            }
            if (progress != null) {
                progress.update(Progress.GRAPH, library.size(), library.size());
            }
            ObjectNode meta = JSON.createObjectNode();
            meta.put("format", FORMAT);
            meta.put("version", VERSION);
            meta.put("library", library.path().toAbsolutePath().toString());
            meta.put("libraryChecksum", Long.toHexString(library.checksum()));
            meta.put("count", library.size());
            meta.put("dim", dim);
            meta.put("similarity", similarity.name());
            meta.put("maxConn", params.maxConn());
            meta.put("beamWidth", params.beamWidth());
            meta.put("quantization", params.quantization());
            meta.put("lucene", org.apache.lucene.util.Version.LATEST.toString());
            AtomicFiles.writeString(tmp.resolve(META), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
            Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new BuildStats(library.size(), (System.nanoTime() - t0) / 1e9, similarity.name());
        } finally {
            indexExec.shutdownNow();
            mergeExec.shutdownNow();
            if (Files.exists(tmp)) {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }

    /** Adds rows {@code [from, to)} with {@code workers} threads (each taking chunks of 256 rows). */
    private static void addRows(IndexWriter writer, EmbeddingLibrary library, int from, int to,
            VectorSimilarityFunction similarity, int workers, ExecutorService exec, AtomicInteger done, Progress progress)
            throws IOException {
        int dim = library.dim();
        int chunk = 256;
        AtomicInteger next = new AtomicInteger(from);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            parts.add(exec.submit(() -> {
                float[] rows = new float[chunk * dim];
                try {
                    for (int at; (at = next.getAndAdd(chunk)) < to && failure.get() == null; ) {
                        int n = Math.min(chunk, to - at);
                        library.rows(at, n, rows);
                        for (int r = 0; r < n; r++) {
                            Document doc = new Document();
                            doc.add(new KnnFloatVectorField(VECTOR_FIELD,
                                    java.util.Arrays.copyOfRange(rows, r * dim, (r + 1) * dim), similarity));
                            doc.add(new NumericDocValuesField(ROW_FIELD, at + r));
                            writer.addDocument(doc);
                        }
                        int total = done.addAndGet(n);
                        if (progress != null) {
                            progress.update(Progress.ADDING, total, library.size());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (var f : parts) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while indexing", e);
            } catch (java.util.concurrent.ExecutionException e) {
                failure.compareAndSet(null, e.getCause());
            }
        }
        if (failure.get() != null) {
            Throwable e = failure.get();
            throw e instanceof IOException io ? io : new IOException("indexing failed: " + e, e);
        }
    }

    private static IndexWriterConfig writerConfig(KnnVectorsFormat format) {
        return new IndexWriterConfig()
                .setCodec(new Lucene104Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                })
                .setUseCompoundFile(false)
                .setCommitOnClose(false);
    }

    /** Opens an index directory for {@code library}, checking that the index was built from it. */
    public static HnswIndex open(Path dir, EmbeddingLibrary library) throws IOException {
        Path metaFile = dir.resolve(META);
        if (!Files.isRegularFile(metaFile)) {
            throw new InvalidDataException(dir, "not a vidkit HNSW index (no " + META + "; build one with 'vidkit index build')");
        }
        JsonNode meta;
        try {
            meta = JSON.readTree(metaFile.toFile());
        } catch (IOException e) {
            throw new CorruptFileException(metaFile, "unreadable index description: " + e.getMessage());
        }
        if (meta == null || !FORMAT.equals(meta.path("format").asText())) {
            throw new CorruptFileException(metaFile, "not a vidkit HNSW index description (format '" + meta.path("format").asText() + "')");
        }
        int version = meta.path("version").asInt(-1);
        if (version > VERSION || version < 1) {
            throw new UnsupportedFormatVersionException(metaFile, "index format version " + version + " (this vidkit reads up to "
                    + VERSION + ")");
        }
        String checksum = Long.toHexString(library.checksum());
        if (meta.path("count").asInt(-1) != library.size() || meta.path("dim").asInt(-1) != library.dim()
                || !checksum.equals(meta.path("libraryChecksum").asText())) {
            throw new InvalidDataException(dir, "was built from another library (" + meta.path("library").asText() + ": "
                    + meta.path("count").asInt() + " × " + meta.path("dim").asInt() + ", checksum "
                    + meta.path("libraryChecksum").asText() + "), not from " + library.path() + " (" + library.size() + " × "
                    + library.dim() + ", checksum " + checksum + ")");
        }
        Params params;
        try {
            params = new Params(meta.path("maxConn").asInt(), meta.path("beamWidth").asInt(),
                    meta.path("quantization").asText("none"));
        } catch (IllegalArgumentException e) {
            // found by fuzzing: a description with maxConn 0 escaped as an untyped error
            throw new CorruptFileException(metaFile, "invalid graph parameters: " + e.getMessage());
        }
        Directory directory = FSDirectory.open(dir);
        try {
            // every file of the commit, checksummed whole (Lucene itself checks only headers and footers on open)
            for (String file : org.apache.lucene.index.SegmentInfos.readLatestCommit(directory).files(true)) {
                try (org.apache.lucene.store.IndexInput in = directory.openInput(file, org.apache.lucene.store.IOContext.READONCE)) {
                    org.apache.lucene.codecs.CodecUtil.checksumEntireFile(in);
                }
            }
            DirectoryReader reader = DirectoryReader.open(directory);
            try {
                if (reader.maxDoc() != library.size()) {
                    throw new CorruptFileException(dir, "the index holds " + reader.maxDoc() + " vectors; its description says "
                            + library.size());
                }
                int[] docToRow = new int[reader.maxDoc()];
                for (LeafReaderContext leaf : reader.leaves()) {
                    NumericDocValues rows = leaf.reader().getNumericDocValues(ROW_FIELD);
                    if (rows == null) {
                        throw new CorruptFileException(dir, "a segment has no row numbers");
                    }
                    for (int d = 0; d < leaf.reader().maxDoc(); d++) {
                        if (!rows.advanceExact(d)) {
                            throw new CorruptFileException(dir, "document " + (leaf.docBase + d) + " has no row number");
                        }
                        long row = rows.longValue();
                        if (row < 0 || row >= library.size()) {
                            throw new CorruptFileException(dir, "document " + (leaf.docBase + d) + " names row " + row);
                        }
                        docToRow[leaf.docBase + d] = (int) row;
                    }
                }
                return new HnswIndex(dir, library, directory, reader, docToRow, params);
            } catch (IOException | RuntimeException e) {
                reader.close();
                throw e;
            }
        } catch (IndexFormatTooNewException e) {
            directory.close();
            throw new UnsupportedFormatVersionException(dir, "written by a newer Lucene: " + e.getMessage());
        } catch (CorruptIndexException | IndexFormatTooOldException | java.io.EOFException
                | java.nio.file.NoSuchFileException | org.apache.lucene.index.IndexNotFoundException e) {
            directory.close();
            throw new CorruptFileException(dir, "damaged index: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public EmbeddingLibrary library() {
        return library;
    }

    public Params params() {
        return params;
    }

    /**
     * The (approximately) best {@code k} rows for {@code query [dim]}, best first, after a graph search
     * with {@code max(k, ef)} candidates re-scored exactly (see the class comment). Safe to call from
     * several threads at once.
     */
    public List<ExactSearch.Hit> search(float[] query, int k, int ef) throws IOException {
        if (query.length != library.dim()) {
            throw new IllegalArgumentException("query has " + query.length + " values; the library is " + library.dim() + "-d");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        int candidates = Math.min(Math.max(k, ef), library.size());
        // each segment's graph searched directly (no query rewriting: this is the whole per-query cost)
        List<ExactSearch.Hit> hits = new ArrayList<>(candidates * reader.leaves().size());
        float[] row = new float[library.dim()];
        for (LeafReaderContext leaf : reader.leaves()) {
            int maxDoc = leaf.reader().maxDoc();
            TopDocs top = leaf.reader().searchNearestVectors(VECTOR_FIELD, query, Math.min(candidates, maxDoc),
                    org.apache.lucene.search.AcceptDocs.fromLiveDocs(leaf.reader().getLiveDocs(), maxDoc), Integer.MAX_VALUE);
            for (ScoreDoc sd : top.scoreDocs) {
                int r = docToRow[leaf.docBase + sd.doc];
                library.rows(r, 1, row);
                hits.add(new ExactSearch.Hit(r, ExactSearch.dot(row, 0, query, 0, row.length)));
            }
        }
        hits.sort(Comparator.comparingDouble((ExactSearch.Hit h) -> -h.score()).thenComparingInt(ExactSearch.Hit::index));
        return hits.size() > k ? new ArrayList<>(hits.subList(0, k)) : hits;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            directory.close();
        }
    }

    /** Every row has length 1 within 1e-3. */
    static boolean unitLength(EmbeddingLibrary library) {
        int dim = library.dim();
        float[] rows = new float[1024 * dim];
        for (int from = 0; from < library.size(); from += 1024) {
            int n = Math.min(1024, library.size() - from);
            library.rows(from, n, rows);
            for (int r = 0; r < n; r++) {
                double s = 0;
                for (int i = 0; i < dim; i++) {
                    s += rows[r * dim + i] * rows[r * dim + i];
                }
                if (Math.abs(s - 1) > 2e-3) {
                    return false;
                }
            }
        }
        return true;
    }

}
