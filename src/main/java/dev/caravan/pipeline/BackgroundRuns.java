package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import dev.caravan.registry.PipelineLock;
import dev.caravan.registry.Runs;
import dev.caravan.spec.PipelineSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipelines in the background for {@code caravan server}. {@link #start} takes the pipeline's lock and
 * records the run before it returns, so the caller learns the run id, or that the pipeline is busy, at once; the
 * stages then run on a thread of their own, which releases the lock at the end. Runs of different pipelines go on
 * side by side; the lock keeps each pipeline to one run at a time, across processes too.
 */
public final class BackgroundRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRuns.class);

    private final PipelineRunner runner;
    private final Duration drain;
    private final ExecutorService executor;
    private final Map<UUID, RunState> running = new ConcurrentHashMap<>();

    /** {@code drain}: how long {@link #close} waits for running runs before it records them as FAILED. */
    public BackgroundRuns(PipelineRunner runner, Duration drain) {
        this.runner = runner;
        this.drain = drain;
        AtomicInteger threads = new AtomicInteger();
        this.executor =
                Executors.newCachedThreadPool(task -> new Thread(task, "caravan-run-" + threads.incrementAndGet()));
    }

    /**
     * Starts a run of the spec and returns its id; the run's row exists by then.
     *
     * @throws CaravanException BUSY when another run of the pipeline holds its lock (nothing is recorded),
     *     UNAVAILABLE once {@link #close} has begun (a run recorded just before is recorded FAILED)
     */
    public UUID start(PipelineSpec spec, String trigger) {
        return startLocked(spec, () -> Optional.of(runner.begin(spec, trigger, true)))
                .orElseThrow();
    }

    /**
     * Starts the run of a schedule's firing, as {@link #start} does; empty when that firing already has its run
     * (another server fired it, at its own clock's time).
     */
    public Optional<UUID> startFiring(PipelineSpec spec, Runs.Firing firing) {
        return startLocked(spec, () -> runner.beginFiring(spec, firing));
    }

    private Optional<UUID> startLocked(PipelineSpec spec, Supplier<Optional<RunState>> begin) {
        if (executor.isShutdown()) {
            throw shuttingDown(null);
        }
        PipelineLock lock = runner.lock(spec);
        Optional<RunState> state;
        try {
            state = begin.get();
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        if (state.isEmpty()) {
            lock.close();
            return Optional.empty();
        }
        submit(state.get(), lock);
        return Optional.of(state.get().runId());
    }

    /** The runs going now in this process. */
    public Set<UUID> running() {
        return Set.copyOf(running.keySet());
    }

    /**
     * Resumes a FAILED run in the background (see {@code caravan resume}) and returns its pipeline's name; the run
     * is RUNNING again by then.
     *
     * @throws CaravanException NOT_FOUND for an unknown run, BUSY when its pipeline's lock is held
     * @throws IllegalArgumentException when the run is not FAILED
     */
    public String resume(UUID runId) {
        if (executor.isShutdown()) {
            throw shuttingDown(null);
        }
        PipelineRunner.Reopened reopened = runner.reopen(runId, true);
        submit(reopened.state(), reopened.lock());
        return reopened.state().spec().name;
    }

    private void submit(RunState state, PipelineLock lock) {
        running.put(state.runId(), state);
        try {
            executor.execute(() -> finish(state, lock));
        } catch (RejectedExecutionException e) { // close() began between the check above and here
            running.remove(state.runId());
            runner.abandon(state, "the server began shutting down before the run's next stage");
            lock.close();
            throw shuttingDown(e);
        }
    }

    private static CaravanException shuttingDown(RejectedExecutionException cause) {
        return CaravanException.unavailable("the server is shutting down; it starts no new runs", cause);
    }

    private void finish(RunState state, PipelineLock lock) {
        try (lock) {
            runner.execute(state, lock);
        } catch (RuntimeException e) { // stage failures are recorded by the routes; this is the run store failing
            LOG.error("run {} of pipeline '{}' could not be finished", state.runId(), state.spec().name, e);
            runner.abandon(state, CaravanException.oneLine(e));
        } finally {
            running.remove(state.runId());
        }
    }

    /**
     * Starts no more runs and waits up to the drain time for the running ones. Runs still going after that are
     * recorded as FAILED (the process is about to exit and take them with it); their artifacts stay where they are.
     */
    @Override
    public void close() {
        executor.shutdown();
        if (!running.isEmpty()) {
            LOG.info("waiting up to {} s for {} running run(s) to finish", drain.toSeconds(), running.size());
        }
        if (!awaitRuns()) {
            for (RunState state : running.values()) {
                LOG.warn(
                        "run {} of pipeline '{}' is still running after {} s; recording it as FAILED",
                        state.runId(),
                        state.spec().name,
                        drain.toSeconds());
                runner.abandon(
                        state,
                        "caravan server stopped after waiting " + drain.toSeconds() + " s for the run to finish");
            }
        }
    }

    private boolean awaitRuns() {
        try {
            return executor.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
