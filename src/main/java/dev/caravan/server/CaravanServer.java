package dev.caravan.server;

import dev.caravan.api.ApiServer;
import dev.caravan.api.RegistryApi;
import dev.caravan.api.ServerApi;
import dev.caravan.pipeline.BackgroundRuns;
import dev.caravan.pipeline.CamelHost;
import dev.caravan.pipeline.PipelineRunner;
import dev.caravan.registry.Database;
import dev.caravan.registry.Registry;
import dev.caravan.registry.ScheduleEvents;
import dev.caravan.schedule.PipelineScheduler;
import dev.caravan.spec.PipelineCatalog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code caravan server} in one process: the pipeline runner, background runs, a periodic sweep for abandoned
 * runs, the schedules and the REST API, on one database and one Camel context (both route files). {@link #close} stops in the order that loses nothing: no
 * more firings, then the running runs finish (or are recorded as FAILED after the drain time) while the API still
 * answers (new runs get 503), then the routes stop.
 */
public final class CaravanServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanServer.class);

    /**
     * @param bind the address the API listens on; {@code port} 0 takes any free port
     * @param apiToken the bearer token of writes; null refuses them all
     * @param runsRoot where runs keep their artifacts ({@code <runsRoot>/<run id>})
     * @param heartbeatTimeout after how long without a heartbeat a run counts as abandoned
     * @param drain how long stopping waits for running runs
     * @param misfireThreshold how late a schedule may fire before the firing counts as missed
     * @param requestTimeout how long the API waits for a request's body before it answers 408
     */
    public record Settings(
            String bind,
            int port,
            String apiToken,
            Path runsRoot,
            Duration heartbeatTimeout,
            Duration drain,
            Duration misfireThreshold,
            Duration requestTimeout) {
        /** With the API's default request timeout. */
        public Settings(
                String bind,
                int port,
                String apiToken,
                Path runsRoot,
                Duration heartbeatTimeout,
                Duration drain,
                Duration misfireThreshold) {
            this(
                    bind,
                    port,
                    apiToken,
                    runsRoot,
                    heartbeatTimeout,
                    drain,
                    misfireThreshold,
                    ApiServer.DEFAULT_REQUEST_TIMEOUT);
        }
    }

    private final String identity = hostAndPid();
    private final Deque<AutoCloseable> parts = new ArrayDeque<>(); // closed in reverse order of start
    private final PipelineCatalog catalog;
    private ApiServer api;

    private CaravanServer(PipelineCatalog catalog) {
        this.catalog = catalog;
    }

    /** Starts everything, or stops what had started and rethrows. */
    public static CaravanServer start(PipelineCatalog catalog, Database database, Settings settings) {
        CaravanServer server = new CaravanServer(catalog);
        try {
            server.startParts(database, settings);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startParts(Database database, Settings settings) {
        Registry registry = database.registry();
        ScheduleEvents events = new ScheduleEvents(database.jdbc());
        CamelHost camel = started(new CamelHost(CamelHost.PIPELINE_ROUTES, CamelHost.API_ROUTES));
        PipelineRunner runner =
                started(new PipelineRunner(registry, settings.runsRoot(), settings.heartbeatTimeout(), camel));
        BackgroundRuns runs = started(new BackgroundRuns(runner, settings.drain()));
        started(new AbandonedRunSweep(registry.runs(), settings.heartbeatTimeout(), runs::running));
        PipelineScheduler scheduler = started(
                new PipelineScheduler(catalog.scheduled(), runs, events, identity, settings.misfireThreshold()));
        api = new ApiServer(
                camel,
                settings.bind(),
                settings.port(),
                settings.requestTimeout(),
                settings.apiToken(),
                new RegistryApi(database.apiRegistry()),
                new ServerApi(identity, catalog, runs, scheduler, events, database.dataSource()));
        runner.start(); // the one Camel context: pipeline and API routes
        scheduler.start();
    }

    /** Where the API answers. */
    public String url() {
        return api.url();
    }

    /** This server in {@code schedule_events}: {@code host:pid}. */
    public String identity() {
        return identity;
    }

    /** One line for people: what runs and where it listens. */
    public String summary() {
        return "caravan server " + identity + ": " + catalog.all().size() + " pipeline(s), "
                + catalog.scheduled().size() + " on a schedule; API on " + url();
    }

    private <T extends AutoCloseable> T started(T part) {
        parts.push(part);
        return part;
    }

    /**
     * Stops the schedules, then waits for the running runs (see {@link BackgroundRuns#close}), then stops the
     * routes, the API's with them.
     */
    @Override
    public void close() {
        while (!parts.isEmpty()) {
            closeQuietly(parts.pop());
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            LOG.error("stopping {} failed", part.getClass().getSimpleName(), e);
        }
    }

    private static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid();
    }
}
