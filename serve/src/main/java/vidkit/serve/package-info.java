/**
 * Serving: {@link vidkit.serve.Service} answers matching, tagging and similarity questions from a
 * two-tower run, embedding libraries (exact or HNSW search), a tagger and an optional cross model;
 * {@link vidkit.serve.Server} puts it on HTTP (JSON API, web page, health, Prometheus metrics) with
 * request limits, bounded concurrency and graceful shutdown; {@link vidkit.serve.LoadGenerator} and
 * {@link vidkit.serve.MalformedRequests} measure it from outside.
 */
package vidkit.serve;
