package dev.caravan.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.pipeline.BackgroundRuns;
import dev.caravan.registry.ScheduleEvents;
import dev.caravan.schedule.PipelineScheduler;
import dev.caravan.spec.PipelineCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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
    public ObjectNode health() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(HEALTH_TIMEOUT_SECONDS)) {
                throw CaravanException.unavailable("the database does not answer", null);
            }
        } catch (SQLException e) {
            throw CaravanException.unavailable("the database is unreachable: " + e.getMessage(), e);
        }
        return Json.MAPPER
                .createObjectNode()
                .put("status", "UP")
                .put("server", server)
                .put("pipelines", catalog.all().size());
    }

    /** {@code GET /api/pipelines}: each loaded pipeline, its schedule and its newest schedule events. */
    public ObjectNode pipelines() {
        ObjectNode result = Json.MAPPER.createObjectNode();
        ArrayNode list = result.putArray("pipelines");
        for (PipelineCatalog.Entry entry : catalog.all()) {
            ObjectNode pipeline = list.addObject()
                    .put("name", entry.name())
                    .put("file", entry.file().toString())
                    .put("schedule", entry.spec().schedule)
                    .put(
                            "nextFireAt",
                            scheduler
                                    .nextFire(entry.name())
                                    .map(Instant::toString)
                                    .orElse(null));
            ArrayNode recent = pipeline.putArray("lastScheduleEvents");
            for (ScheduleEvents.Event event : events.latest(entry.name(), LAST_EVENTS)) {
                recent.addObject()
                        .put("outcome", event.outcome().name())
                        .put("scheduledFor", text(event.scheduledFor()))
                        .put("firedAt", text(event.firedAt()))
                        .put(
                                "runId",
                                event.runId() == null ? null : event.runId().toString())
                        .put("server", event.server())
                        .put("detail", event.detail());
            }
        }
        return result;
    }

    /**
     * {@code POST /api/pipelines/{name}/runs}: starts a run now and answers with its id while it runs (202);
     * 409 when a run of the pipeline is going, 404 for a pipeline this server did not load.
     */
    public ObjectNode startRun(String name) {
        PipelineCatalog.Entry entry = catalog.find(name)
                .orElseThrow(() -> CaravanException.notFound(
                        "no pipeline named '" + name + "' on this server (see GET /api/pipelines)"));
        UUID runId = runs.start(entry.spec(), "api");
        return Json.MAPPER
                .createObjectNode()
                .put("runId", runId.toString())
                .put("pipeline", name)
                .put("status", "RUNNING")
                .put("run", "/api/runs/" + runId);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
