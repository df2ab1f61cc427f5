package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The process's one Camel context: the route files it loads and the beans they call by name. {@code caravan run}
 * loads the pipeline's routes; {@code caravan server} loads the REST API's beside them, in the same context, so
 * that both share one lifecycle and one registry of beans.
 */
public final class CamelHost implements AutoCloseable {
    public static final String PIPELINE_ROUTES = "classpath:routes/pipeline.yaml";
    public static final String API_ROUTES = "classpath:routes/api.yaml";

    /**
     * How long stopping gives in-flight exchanges (Camel's default is 45 s). Runs have drained before the routes
     * stop, so only API requests are left; a short wait keeps drain plus shutdown inside compose's grace period.
     */
    public static final int SHUTDOWN_SECONDS = 10;

    private final Main main = new Main();
    private final String routeFiles;
    private final List<Consumer<CamelContext>> afterStart = new ArrayList<>();
    private boolean started;

    /** Loads these route files (locations as Camel reads them: {@code classpath:...} or {@code file:...}). */
    public CamelHost(String... routeFiles) {
        this.routeFiles = String.join(",", routeFiles);
        main.configure().withRoutesIncludePattern(this.routeFiles).withShutdownTimeout(SHUTDOWN_SECONDS);
    }

    /**
     * Serves platform-http routes (the REST API) on {@code host:port}, refusing bodies over {@code maxBodyBytes}
     * with 413; before {@link #start}.
     */
    public void serveHttp(String host, int port, long maxBodyBytes) {
        main.configure()
                .httpServer()
                .withEnabled(true)
                .withHost(host)
                .withPort(port)
                .withMaxBodySize(maxBodyBytes);
    }

    /** Binds a bean the routes refer to by name; before {@link #start}. */
    public void bind(String name, Object bean) {
        main.bind(name, bean);
    }

    /** Runs {@code check} on the loaded routes before any of them starts (an HTTP route would listen); before {@link #start}. */
    public void checkBeforeStart(Consumer<CamelContext> check) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport loaded) {
                check.accept(loaded.getCamelContext());
            }
        });
    }

    /** Runs {@code then} once the context and its HTTP server have started; before {@link #start}. */
    public void afterStart(Consumer<CamelContext> then) {
        afterStart.add(then);
    }

    /** Starts the routes, once; a check's own error comes through as it is. */
    public synchronized void start() {
        if (started) {
            return;
        }
        try {
            main.start();
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof CaravanException caravan) {
                    throw caravan;
                }
            }
            throw new IllegalStateException("cannot start the Camel routes " + routeFiles + ": " + e.getMessage(), e);
        }
        afterStart.forEach(then -> then.accept(main.getCamelContext()));
        started = true;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
