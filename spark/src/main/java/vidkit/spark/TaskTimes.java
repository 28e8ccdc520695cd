package vidkit.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * When a job's tasks ran (driver side): the span from the first task's launch to the last task's end,
 * and the executors' summed run time. With the job's wall time this separates the fixed cost
 * (executors starting, the first model load) from the throughput.
 */
final class TaskTimes extends SparkListener {
    private long firstLaunch = Long.MAX_VALUE;
    private long lastEnd;
    private long runMillis;
    private int tasks;

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart start) {
        firstLaunch = Math.min(firstLaunch, start.taskInfo().launchTime());
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        lastEnd = Math.max(lastEnd, end.taskInfo().finishTime());
        if (end.taskMetrics() != null) {
            runMillis += end.taskMetrics().executorRunTime();
        }
        tasks++;
    }

    /** Seconds from the first task's launch to the last task's end. */
    synchronized double spanSeconds() {
        return tasks == 0 ? 0 : (lastEnd - firstLaunch) / 1e3;
    }

    /** Executor run time summed over tasks, seconds. */
    synchronized double taskSeconds() {
        return runMillis / 1e3;
    }
}
