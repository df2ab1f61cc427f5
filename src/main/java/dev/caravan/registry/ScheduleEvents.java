package dev.caravan.registry;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** What each firing of a pipeline's schedule did (table {@code schedule_events}), from every server on the database. */
public final class ScheduleEvents {
    /** Started a run; skipped because a run of the pipeline held its lock; skipped because it fired too late. */
    public enum Outcome {
        STARTED,
        SKIPPED_BUSY,
        SKIPPED_MISFIRE,
        /** Another server had already started this firing's run. */
        SKIPPED_CLAIMED
    }

    /**
     * One firing. {@code scheduledFor} is the time the cron expression named, {@code firedAt} when the server acted;
     * {@code runId} is set for STARTED only; {@code server} is the {@code host:pid} of the server that acted.
     */
    public record Event(
            String pipeline,
            Instant scheduledFor,
            Instant firedAt,
            Outcome outcome,
            UUID runId,
            String server,
            String detail) {}

    private final Jdbc jdbc;

    public ScheduleEvents(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Event event) {
        jdbc.write(tx -> tx.update(
                "insert into schedule_events (pipeline, scheduled_for, fired_at, outcome, run_id,"
                        + " server, detail) values (?, ?, ?, ?, ?, ?, ?)",
                event.pipeline(),
                timestamp(event.scheduledFor()),
                timestamp(event.firedAt()),
                event.outcome().name(),
                event.runId(),
                event.server(),
                event.detail()));
    }

    /** The pipeline's newest events first. */
    public List<Event> latest(String pipeline, int limit) {
        return jdbc.read(tx -> tx.list(
                "select * from schedule_events where pipeline = ?" + " order by fired_at desc, id desc limit ?",
                row -> new Event(
                        row.getString("pipeline"),
                        Jdbc.instant(row, "scheduled_for"),
                        Jdbc.instant(row, "fired_at"),
                        Outcome.valueOf(row.getString("outcome")),
                        row.getObject("run_id", UUID.class),
                        row.getString("server"),
                        row.getString("detail")),
                pipeline,
                limit));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
