package dev.caravan.serve;

import dev.caravan.registry.Records.DeployableModel;
import dev.caravan.registry.RunStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server on the right model version: polls the registry for the version an alias points at (or the
 * newest, or a pinned one) and swaps it in when it changes. A version that fails to load is logged and the current one stays.
 */
public final class ModelWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    private final RunStore store;
    private final String name;
    private final Integer pinnedVersion;
    private final String alias;
    private final ModelServer server;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "caravan-model-watcher");
        thread.setDaemon(true);
        return thread;
    });
    private DeployableModel loaded;

    /**
     * @param pinnedVersion a version to serve for good, or null
     * @param alias an alias to follow (such as champion), or null; with neither, the newest version is followed
     */
    public ModelWatcher(RunStore store, String name, Integer pinnedVersion, String alias, ModelServer server) {
        this.store = store;
        this.name = name;
        this.pinnedVersion = pinnedVersion;
        this.alias = alias;
        this.server = server;
    }

    /** Loads the model now (failing if there is none), then polls every {@code interval}. */
    public void start(Duration interval) {
        if (!poll()) {
            throw new IllegalArgumentException("model " + name + (pinnedVersion == null ? "" : ":" + pinnedVersion)
                    + (alias == null ? "" : "@" + alias) + " has no deployable ONNX export in the registry;"
                    + " run a pipeline that trains it first");
        }
        poller.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Swaps in the registry's current version if it differs from the loaded one; false if there is none. */
    boolean poll() {
        Optional<DeployableModel> wanted = store.deployable(name, pinnedVersion, alias);
        if (wanted.isEmpty()) {
            return false;
        }
        if (!wanted.get().equals(loaded)) {
            server.swap(ServedModel.load(wanted.get()));
            loaded = wanted.get();
        }
        return true;
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("could not refresh model {}: {} (still serving version {})", name, e.getMessage(),
                    loaded == null ? "none" : loaded.version());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
