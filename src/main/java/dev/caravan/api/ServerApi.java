package dev.caravan.api;

import dev.caravan.data.CaravanException;
import dev.caravan.pipeline.BackgroundRuns;
import dev.caravan.registry.ScheduleEvents;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.schedule.PipelineScheduler;
import dev.caravan.spec.PipelineCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The endpoints about this server: its health, the pipelines it loaded, and runs on demand. */
public final class ServerApi {
    /** How many of a pipeline's newest schedule events {@code GET /api/pipelines} shows. */
    private static final int LAST_EVENTS = 5;

    private static final int HEALTH_TIMEOUT_SECONDS = 2;

    private final String server;
    private final PipelineCatalog catalog;
    private final BackgroundRuns runs;
    private final PipelineScheduler scheduler;
    private final ScheduleEvents events;
    private final DataSource dataSource;

    /** {@code server}: this server's {@code host:pid}. */
    public ServerApi(
            String server,
            PipelineCatalog catalog,
            BackgroundRuns runs,
            PipelineScheduler scheduler,
            ScheduleEvents events,
            DataSource dataSource) {
        this.server = server;
        this.catalog = catalog;
        this.runs = runs;
        this.scheduler = scheduler;
        this.events = events;
        this.dataSource = dataSource;
    }

    /** {@code GET /api/health}: 200 when the database answers, else 503. */
    public Health health() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(HEALTH_TIMEOUT_SECONDS)) {
                throw CaravanException.unavailable("the database does not answer", null);
            }
        } catch (SQLException e) {
            throw CaravanException.unavailable("the database is unreachable: " + e.getMessage(), e);
        }
        return new Health("UP", server, catalog.all().size());
    }

    /** {@code GET /api/pipelines}: each loaded pipeline, its schedule and its newest schedule events. */
    public Pipelines pipelines() {
        return new Pipelines(catalog.all().stream()
                .map(entry -> new ScheduledPipeline(
                        entry.name(),
                        entry.file().toString(),
                        entry.spec().schedule,
                        scheduler.nextFire(entry.name()).orElse(null),
                        events.latest(entry.name(), LAST_EVENTS)))
                .toList());
    }

    /**
     * {@code POST /api/pipelines/{name}/runs}: starts a run now and answers with its id while it runs (202);
     * 409 when a run of the pipeline is going, 404 for a pipeline this server did not load.
     */
    public StartedRun startRun(String name) {
        PipelineCatalog.Entry entry = catalog.find(name)
                .orElseThrow(() -> CaravanException.notFound(
                        "no pipeline named '" + name + "' on this server (see GET /api/pipelines)"));
        UUID runId = runs.start(entry.spec(), "api");
        return new StartedRun(runId, name, RunStatus.RUNNING, "/api/runs/" + runId);
    }

    /**
     * {@code POST /api/runs/{id}/resume}: resumes a FAILED run from its first stage that did not succeed and
     * answers while it runs (202); 404 for an unknown run, 409 while its pipeline runs, 400 for a run not FAILED.
     */
    public StartedRun resumeRun(String id) {
        UUID runId;
        try {
            runId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw CaravanException.badSetting("'" + id + "' is not a run id (a UUID)");
        }
        String pipeline = runs.resume(runId);
        return new StartedRun(runId, pipeline, RunStatus.RUNNING, "/api/runs/" + runId);
    }

    /** The server answers, and so does its database. */
    public record Health(String status, String server, int pipelines) {}

    public record Pipelines(List<ScheduledPipeline> pipelines) {}

    /** A loaded pipeline: {@code nextFireAt} is null for one without a schedule. */
    public record ScheduledPipeline(
            String name,
            String file,
            String schedule,
            Instant nextFireAt,
            List<ScheduleEvents.Event> lastScheduleEvents) {}

    /** A run started on demand; {@code run} is where to follow it. */
    public record StartedRun(UUID runId, String pipeline, RunStatus status, String run) {}
}
