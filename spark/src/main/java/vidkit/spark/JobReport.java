package vidkit.spark;

import java.util.List;

/**
 * What a finished job did, written last as {@code OUT/job.json}: its provenance and counts.
 *
 * @param job tag, embed or extract
 * @param run the run directory (tag, embed) or null
 * @param checkpointSha256 SHA-256 of the checkpoint's bytes the executors loaded
 * @param data the input specification
 * @param inputs input files; {@code inputBytes} their total size
 * @param rows output rows (videos tagged or embedded, clips extracted)
 * @param skipped corrupt records and files skipped ({@code skipped.csv})
 * @param skippedFiles the files with anything skipped
 * @param master the Spark master; {@code executors} executors seen at the end; {@code taskCpus} cores per task
 * @param seconds the job's wall time on the driver after the session started
 * @param spanSeconds from the first task's launch to the last task's end (the main stage; 0 when not measured)
 * @param taskSeconds the executors' run time summed over those tasks
 * @param steadyRowsPerSecond rows per second after each executor's first task, summed over executors
 * @param outputs the items of the directory
 */
public record JobReport(String job, String vidkitVersion, String gitCommit, String run, String checkpointSha256,
        String data, int inputs, long inputBytes, long rows, int skipped, List<String> skippedFiles, String onCorrupt,
        String master, int executors, int taskCpus, String startedAt, double seconds, double spanSeconds,
        double taskSeconds, double steadyRowsPerSecond, List<String> outputs) {}
