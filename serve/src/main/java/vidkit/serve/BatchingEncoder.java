package vidkit.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching of encoder calls: requests queue their inputs, and each of {@code workers}
 * threads takes whatever is waiting (up to {@code maxBatch}) and encodes it in one model call. At
 * low load a batch is a single request, so nothing waits for company; under load the batches grow
 * and the per-call overhead (JNI, tensor set-up) is shared. Results are per input, in order.
 */
final class BatchingEncoder implements AutoCloseable {
    /** Encodes {@code inputs} (each one clip) into one output per input. */
    interface BatchFunction {
        List<float[]> encode(List<float[]> inputs) throws Exception;
    }

    private record Job(float[] input, CompletableFuture<float[]> result) {}

    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final BatchFunction function;
    private final int maxBatch;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    BatchingEncoder(String name, BatchFunction function, int workers, int maxBatch) {
        this.function = function;
        this.maxBatch = maxBatch;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, name + "-" + (i + 1));
            t.setDaemon(true);
            t.start();
            this.workers.add(t);
        }
    }

    /** Encodes one input, waiting for its batch. */
    float[] encode(float[] input) throws ServiceException {
        if (closed) {
            throw new ServiceException(ServiceException.Reason.STOPPING, "stopping", null, "the server is shutting down");
        }
        Job job = new Job(input, new CompletableFuture<>());
        queue.add(job);
        try {
            return job.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ServiceException.Reason.STOPPING, "interrupted", null, "interrupted while waiting for the encoder");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceException api) {
                throw api;
            }
            throw new IllegalStateException("encoder failed: " + e.getCause(), e.getCause());
        }
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                List<float[]> inputs = new ArrayList<>(batch.size());
                for (Job j : batch) {
                    inputs.add(j.input());
                }
                try {
                    List<float[]> out = function.encode(inputs);
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result().complete(out.get(i));
                    }
                } catch (Exception | Error e) {
                    for (Job j : batch) {
                        j.result().completeExceptionally(e);
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Job j; (j = queue.poll()) != null; ) {
            j.result().completeExceptionally(new ServiceException(ServiceException.Reason.STOPPING, "stopping", null, "the server is shutting down"));
        }
    }
}
