package dev.caravan.schedule;

import dev.caravan.registry.ScheduleEvents;
import dev.caravan.registry.ScheduleEvents.Event;
import dev.caravan.registry.ScheduleEvents.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each missed firing as SKIPPED_MISFIRE. Schedules skip what they missed (Quartz's "do nothing" misfire
 * instruction): a server that was paused, asleep or starved of threads runs at the next firing, not a backlog.
 */
final class MisfireRecorder extends TriggerListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(MisfireRecorder.class);

    private final ScheduleEvents events;
    private final String server;
    private final Duration threshold;

    MisfireRecorder(ScheduleEvents events, String server, Duration threshold) {
        this.events = events;
        this.server = server;
        this.threshold = threshold;
    }

    @Override
    public String getName() {
        return "caravan-misfires";
    }

    /** Called before Quartz moves the trigger on, so its next fire time is still the missed one. */
    @Override
    public void triggerMisfired(Trigger trigger) {
        String pipeline = trigger.getKey().getName();
        Instant missed = trigger.getNextFireTime().toInstant();
        LOG.warn("schedule of '{}': the firing due at {} was missed; skipped", pipeline, missed);
        try {
            events.record(new Event(
                    pipeline,
                    missed,
                    Instant.now(),
                    Outcome.SKIPPED_MISFIRE,
                    null,
                    server,
                    "not fired within " + threshold.toMillis() + " ms of its time (the server was paused, asleep"
                            + " or overloaded); skipped, schedules do not catch up"));
        } catch (RuntimeException e) { // Quartz calls this holding its store's lock: never throw into it
            LOG.error("cannot record the missed firing of '{}'", pipeline, e);
        }
    }
}
