/**
 * Embedding libraries and search: vidkit's own library file format (magic, version, dimension,
 * ids, float32 rows, CRC32C footer; memory-mapped when read), exact top-k search with the Vector
 * API ({@link vidkit.index.ExactSearch}), approximate top-k with persisted Lucene HNSW indexes
 * ({@link vidkit.index.HnswIndex}; candidates re-scored exactly), and the search benchmarks with
 * their synthetic libraries ({@link vidkit.index.SearchBenchmark}).
 */
package vidkit.index;
