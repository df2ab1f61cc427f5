package dev.caravan.serve;

import dev.caravan.data.CaravanException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent single-row predictions into one ONNX Runtime call: the first waiting row opens a batch, and
 * rows arriving within {@code maxDelayMicros} join it, up to {@code maxBatch}. One thread runs the batches, so
 * the HTTP event loops never wait on inference. The wait is bounded by time, not only by length: a row is refused
 * at once (the server answers 503 with Retry-After) when the rows ahead of it would take longer than its wait
 * allows at the rate batches have been running, and a row that still waited past it is dropped unanswered by
 * the model. So under overload the rows that are taken stay fast and the rest learn it at once. The worker
 * outlives any failure of a batch; {@link #alive} tells readiness otherwise.
 */
final class MicroBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    private record Job(ServedModel model, double[] features, long deadlineNanos, CompletableFuture<float[]> result) {}

    private final int maxBatch;
    private final long maxDelayNanos;
    private final long waitNanos;
    private final BlockingQueue<Job> queue;
    private final Thread worker;
    private volatile boolean running = true;
    /** What one row has cost lately, from the first row of a batch taken to its answers (a moving average). */
    private volatile long nanosPerRow;

    private Job carried;
    private long batchOpenedNanos;

    /**
     * @param capacity rows that may wait, however fast; more are refused
     * @param maxWait how long a row may wait for its batch: refused when the queue ahead would take longer
     */
    MicroBatcher(int maxBatch, long maxDelayMicros, int capacity, Duration maxWait) {
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(maxDelayMicros);
        this.waitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::loop, "caravan-micro-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * The outputs of one encoded row, computed in a batch with whatever else arrives meanwhile; fails at once,
     * UNAVAILABLE, when the queue is full.
     */
    CompletableFuture<float[]> submit(ServedModel model, double[] features) {
        CompletableFuture<float[]> result = new CompletableFuture<>();
        int waiting = queue.size();
        if (waiting * nanosPerRow > waitNanos
                || !queue.offer(new Job(model, features, System.nanoTime() + waitNanos, result))) {
            result.completeExceptionally(overloaded(waiting + " rows are waiting for inference, more than "
                    + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms of work"));
        }
        return result;
    }

    /** Whether the worker still runs batches: readiness says no once it does not. */
    boolean alive() {
        return running && worker.isAlive();
    }

    static CaravanException overloaded(String why) {
        return CaravanException.unavailable("the server is overloaded (" + why + "); try again shortly", null);
    }

    private void loop() {
        while (running) {
            try {
                List<Job> batch = collect();
                run(batch);
                remember(batch.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) { // a batch's failure is its own; the next batch still runs
                LOG.error("micro-batcher: a batch failed outside inference; going on", e);
            }
        }
    }

    /**
     * A batch of jobs for one model; a job for another model (after a hot swap) waits for the next batch, and a
     * job past its deadline is answered unavailable without inference.
     */
    private List<Job> collect() throws InterruptedException {
        Job first = carried != null ? carried : queue.take();
        carried = null;
        batchOpenedNanos = System.nanoTime();
        List<Job> batch = new ArrayList<>();
        addUnlessLate(batch, first);
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < maxBatch) {
            Job next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            if (next.model() != first.model()) {
                carried = next;
                break;
            }
            addUnlessLate(batch, next);
        }
        return batch;
    }

    /** Weighs the batch just run into the cost per row that admission goes by. */
    private void remember(int rows) {
        if (rows > 0) {
            long perRow = (System.nanoTime() - batchOpenedNanos) / rows;
            nanosPerRow = nanosPerRow == 0 ? perRow : (7 * nanosPerRow + perRow) / 8;
        }
    }

    private static void addUnlessLate(List<Job> batch, Job job) {
        if (System.nanoTime() - job.deadlineNanos() > 0) {
            job.result().completeExceptionally(overloaded("the row waited past its deadline"));
        } else {
            batch.add(job);
        }
    }

    private static void run(List<Job> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ServedModel model = batch.get(0).model();
        int width = batch.get(0).features().length;
        double[] features = new double[batch.size() * width];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).features(), 0, features, i * width, width);
        }
        try {
            float[] outputs = model.predict(features, batch.size());
            int each = outputs.length / batch.size();
            for (int i = 0; i < batch.size(); i++) {
                float[] row = new float[each];
                System.arraycopy(outputs, i * each, row, 0, each);
                batch.get(i).result().complete(row);
            }
        } catch (Throwable e) { // an Error too: every waiting request gets its answer
            batch.forEach(job -> job.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
