/**
 * Batch jobs on Apache Spark: {@code tag} (YouTube-8M shards → top-k tags as Parquet and the Kaggle
 * CSV), {@code embed} (shards or feature directories → embedding shards → one {@code .vkemb}
 * library) and {@code extract} (media files → per-second features in the paired or YouTube-8M
 * layout). Each job is a picocli command whose {@code main} takes {@code SparkSession.builder()
 * .getOrCreate()} (the master comes from {@code spark-submit}, or {@code --master} in-process).
 *
 * <p>The unit of work is one input file (a shard) or a fixed-size group of files; every task
 * follows the same batching rule as the single-JVM command it mirrors, so the answers are the same
 * bit for bit. Models are loaded once per executor JVM from checkpoint bytes shipped in a broadcast
 * ({@link vidkit.spark.ExecutorModels}); inputs are streamed through Hadoop's file systems (local,
 * HDFS, S3), never read whole. Corrupt records are skipped and reported (or fail the job, by option)
 * and outputs are committed atomically ({@link vidkit.spark.JobOutput}): a directory is complete
 * when its {@code job.json} exists.
 */
package vidkit.spark;
