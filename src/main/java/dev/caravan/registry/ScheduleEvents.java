package dev.caravan.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** What each firing of a pipeline's schedule did (table {@code schedule_events}), from every server on the database. */
public final class ScheduleEvents {
    /** Started a run; skipped because a run of the pipeline held its lock; skipped because it fired too late. */
    public enum Outcome {
        STARTED, SKIPPED_BUSY, SKIPPED_MISFIRE
    }

    /**
     * One firing. {@code scheduledFor} is the time the cron expression named, {@code firedAt} when the server acted;
     * {@code runId} is set for STARTED only; {@code server} is the {@code host:pid} of the server that acted.
     */
    public record Event(String pipeline, Instant scheduledFor, Instant firedAt, Outcome outcome, UUID runId,
            String server, String detail) {
    }

    private final DataSource dataSource;

    public ScheduleEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(Event event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into schedule_events (pipeline,"
                        + " scheduled_for, fired_at, outcome, run_id, server, detail) values (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.pipeline());
            insert.setObject(2, timestamp(event.scheduledFor()));
            insert.setObject(3, timestamp(event.firedAt()));
            insert.setString(4, event.outcome().name());
            insert.setObject(5, event.runId());
            insert.setString(6, event.server());
            insert.setString(7, event.detail());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record schedule event " + event + ": " + e.getMessage(), e);
        }
    }

    /** The pipeline's newest events first. */
    public List<Event> latest(String pipeline, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select * from schedule_events"
                        + " where pipeline = ? order by fired_at desc, id desc limit ?")) {
            select.setString(1, pipeline);
            select.setInt(2, limit);
            List<Event> events = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new Event(rows.getString("pipeline"), RunStore.instant(rows, "scheduled_for"),
                            RunStore.instant(rows, "fired_at"), Outcome.valueOf(rows.getString("outcome")),
                            rows.getObject("run_id", UUID.class), rows.getString("server"), rows.getString("detail")));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schedule events of " + pipeline + ": " + e.getMessage(),
                    e);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
