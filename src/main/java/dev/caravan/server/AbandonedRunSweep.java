package dev.caravan.server;

import dev.caravan.data.CaravanException;
import dev.caravan.registry.Runs;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks abandoned runs FAILED every half heartbeat timeout while the server lives, not only when a process opens
 * the database: a server restarted within the timeout would otherwise leave its dead run RUNNING, unresumable.
 * A sweep that fails (the database is away) is logged and tried again at the next tick.
 */
final class AbandonedRunSweep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedRunSweep.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "caravan-abandoned-sweep");
        thread.setDaemon(true);
        return thread;
    });

    /** @param runningHere the runs this server runs: alive, however late their heartbeat after an outage */
    AbandonedRunSweep(Runs runs, Duration heartbeatTimeout, Supplier<Set<UUID>> runningHere) {
        long every = Math.max(1000, heartbeatTimeout.toMillis() / 2);
        timer.scheduleWithFixedDelay(
                () -> sweep(runs, heartbeatTimeout, runningHere.get()), every, every, TimeUnit.MILLISECONDS);
    }

    private static void sweep(Runs runs, Duration heartbeatTimeout, Set<UUID> runningHere) {
        try {
            for (UUID run : runs.failAbandoned(heartbeatTimeout, runningHere)) {
                LOG.warn(
                        "run {} was abandoned (no heartbeat for {} s); marked FAILED, resume continues it",
                        run,
                        heartbeatTimeout.toSeconds());
            }
        } catch (RuntimeException e) {
            LOG.warn("the sweep for abandoned runs failed, retrying later: {}", CaravanException.oneLine(e));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
