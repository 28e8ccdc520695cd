package vidkit.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * When a job's tasks ran (driver side): the span from the first task's launch to the last task's end,
 * the executors' summed run time, and the steady-state rate: per executor, the records its tasks
 * wrote after its first task (which carries the executor's one-off costs: fetching the checkpoint,
 * loading the model, warming up) over the time from that first task's end to its last task's end,
 * summed over executors. With the job's wall time this separates the fixed cost from the
 * throughput.
 */
final class TaskTimes extends SparkListener {
    private long firstLaunch = Long.MAX_VALUE;
    private long lastEnd;
    private long runMillis;
    private int tasks;
    private final Map<String, long[]> executors = new HashMap<>(); // first end, last end, records after the first

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart start) {
        firstLaunch = Math.min(firstLaunch, start.taskInfo().launchTime());
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().successful()) {
            long finish = end.taskInfo().finishTime();
            lastEnd = Math.max(lastEnd, finish);
            long records = end.taskMetrics() == null ? 0 : end.taskMetrics().outputMetrics().recordsWritten();
            if (end.taskMetrics() != null) {
                runMillis += end.taskMetrics().executorRunTime();
            }
            long[] e = executors.get(end.taskInfo().executorId());
            if (e == null) {
                executors.put(end.taskInfo().executorId(), new long[] {finish, finish, 0});
            } else {
                e[1] = Math.max(e[1], finish);
                e[2] += records;
            }
            tasks++;
        }
    }

    /** Seconds from the first task's launch to the last task's end. */
    synchronized double spanSeconds() {
        return tasks == 0 ? 0 : (lastEnd - firstLaunch) / 1e3;
    }

    /** Executor run time summed over tasks, seconds. */
    synchronized double taskSeconds() {
        return runMillis / 1e3;
    }

    /** Records per second after each executor's first task, summed over executors (0 when unmeasurable). */
    synchronized double steadyRate() {
        double rate = 0;
        for (long[] e : executors.values()) {
            if (e[1] > e[0]) {
                rate += e[2] / ((e[1] - e[0]) / 1e3);
            }
        }
        return rate;
    }
}
