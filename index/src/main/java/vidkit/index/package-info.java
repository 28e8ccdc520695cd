/**
 * Embedding libraries and search: vidkit's own library file format (magic, version, dimension,
 * ids, float32 rows, CRC32C footer; memory-mapped when read) and exact top-k search with the
 * Vector API.
 */
package vidkit.index;
