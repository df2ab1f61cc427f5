package dev.caravan.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Gathers concurrent single-row predictions into one ONNX Runtime call: the first waiting row opens a batch, and
 * rows arriving within {@code maxDelayMicros} join it, up to {@code maxBatch}. One thread runs the batches, so
 * the HTTP event loops never wait on inference.
 */
final class MicroBatcher implements AutoCloseable {
    private record Job(ServedModel model, double[] features, CompletableFuture<float[]> result) {}

    private final int maxBatch;
    private final long maxDelayNanos;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;
    private Job carried;

    MicroBatcher(int maxBatch, long maxDelayMicros) {
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(maxDelayMicros);
        this.worker = new Thread(this::loop, "caravan-micro-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /** The outputs of one encoded row, computed in a batch with whatever else arrives meanwhile. */
    CompletableFuture<float[]> submit(ServedModel model, double[] features) {
        CompletableFuture<float[]> result = new CompletableFuture<>();
        queue.add(new Job(model, features, result));
        return result;
    }

    private void loop() {
        while (running) {
            try {
                run(collect());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A batch of jobs for one model; a job for another model (after a hot swap) waits for the next batch. */
    private List<Job> collect() throws InterruptedException {
        Job first = carried != null ? carried : queue.take();
        carried = null;
        List<Job> batch = new ArrayList<>(List.of(first));
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
            batch.add(next);
        }
        return batch;
    }

    private static void run(List<Job> batch) {
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
        } catch (RuntimeException e) {
            batch.forEach(job -> job.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
