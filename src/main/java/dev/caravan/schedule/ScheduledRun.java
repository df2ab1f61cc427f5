package dev.caravan.schedule;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CaravanException.Kind;
import dev.caravan.pipeline.BackgroundRuns;
import dev.caravan.registry.Runs;
import dev.caravan.registry.ScheduleEvents;
import dev.caravan.registry.ScheduleEvents.Event;
import dev.caravan.registry.ScheduleEvents.Outcome;
import dev.caravan.spec.PipelineSpec;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One firing of a pipeline's schedule: starts a run in the background and records STARTED with its id, or
 * SKIPPED_BUSY when a run of the pipeline (from this server or another one) holds its lock, or SKIPPED_CLAIMED when
 * another server already started the run of this firing (the firing is the cron's time, not a server's clock). It never waits for a
 * run, so a long run holds no Quartz thread.
 */
final class ScheduledRun implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRun.class);

    private final Map<String, PipelineSpec> specs;
    private final BackgroundRuns runs;
    private final ScheduleEvents events;
    private final String server;

    ScheduledRun(Map<String, PipelineSpec> specs, BackgroundRuns runs, ScheduleEvents events, String server) {
        this.specs = specs;
        this.runs = runs;
        this.events = events;
        this.server = server;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String pipeline = context.getJobDetail().getKey().getName();
        Event event;
        try {
            Runs.Firing firing = new Runs.Firing(context.getScheduledFireTime().toInstant(), server);
            Optional<UUID> runId = runs.startFiring(specs.get(pipeline), firing);
            if (runId.isPresent()) {
                event = event(context, pipeline, Outcome.STARTED, runId.get(), null);
            } else {
                LOG.info("schedule of '{}': skipped, another server already ran this firing", pipeline);
                event = event(
                        context,
                        pipeline,
                        Outcome.SKIPPED_CLAIMED,
                        null,
                        "another server already started the run of this firing (" + firing.scheduledFor() + ")");
            }
        } catch (RuntimeException e) {
            if (CaravanException.kindOf(e) != Kind.BUSY) { // the run store is unreachable, or the server is stopping
                LOG.error("schedule of '{}' fired at {}, but no run could start", pipeline, context.getFireTime(), e);
                return;
            }
            LOG.info("schedule of '{}': skipped, a run of it is still going", pipeline);
            event = event(context, pipeline, Outcome.SKIPPED_BUSY, null, e.getMessage());
        }
        try {
            events.record(event);
        } catch (RuntimeException e) {
            LOG.error("cannot record {}", event, e);
        }
    }

    private Event event(JobExecutionContext context, String pipeline, Outcome outcome, UUID runId, String detail) {
        return new Event(
                pipeline,
                context.getScheduledFireTime().toInstant(),
                context.getFireTime().toInstant(),
                outcome,
                runId,
                server,
                detail);
    }
}
