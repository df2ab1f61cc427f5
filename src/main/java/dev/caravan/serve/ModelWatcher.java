package dev.caravan.serve;

import dev.caravan.data.CaravanException;
import dev.caravan.data.DeployableModel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server on the right model version: polls a source (the registry, for {@code caravan serve}) for the
 * version it should serve and swaps it in when it changes. A version that fails to load is logged and the current
 * one stays.
 */
public final class ModelWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    private final String wanted;
    private final Supplier<Optional<DeployableModel>> source;
    private final ModelServer server;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "caravan-model-watcher");
        thread.setDaemon(true);
        return thread;
    });
    private DeployableModel loaded;

    /**
     * @param wanted what is followed, for messages: {@code NAME}, {@code NAME:VERSION} or {@code NAME@ALIAS}
     * @param source the version to serve now, or empty when there is none yet
     */
    public ModelWatcher(String wanted, Supplier<Optional<DeployableModel>> source, ModelServer server) {
        this.wanted = wanted;
        this.source = source;
        this.server = server;
    }

    /** Loads the model now (failing if there is none), then polls every {@code interval}. */
    public void start(Duration interval) {
        if (!poll()) {
            throw CaravanException.notFound("model " + wanted + " has no deployable ONNX export in the registry;"
                    + " run a pipeline that trains it first");
        }
        ScheduledFuture<?> polling = poller.scheduleWithFixedDelay(
                this::pollQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        server.dependOn("model watcher", () -> !polling.isDone());
    }

    /** Swaps in the source's current version if it differs from the loaded one; false if there is none. */
    boolean poll() {
        Optional<DeployableModel> current = source.get();
        if (current.isEmpty()) {
            return false;
        }
        if (!current.get().equals(loaded)) {
            server.swap(ServedModel.load(current.get()));
            loaded = current.get();
        }
        return true;
    }

    /** One failed poll must not end the polling: a scheduled task that throws is never run again. */
    private void pollQuietly() {
        try {
            poll();
        } catch (Throwable e) { // an Error too (a model too large to load): the current version stays
            LOG.warn(
                    "could not refresh model {}: {} (still serving version {})",
                    wanted,
                    e.getMessage(),
                    loaded == null ? "none" : loaded.version());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
