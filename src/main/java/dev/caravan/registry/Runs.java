package dev.caravan.registry;

import dev.caravan.data.CaravanException;
import dev.caravan.registry.Jdbc.Tx;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A run's lifecycle in the run store: started RUNNING (with its tags), kept alive by heartbeats, ended SUCCEEDED
 * or FAILED (with the stage at fault and the cause), reopened by a resume, and found abandoned when its process
 * died. A run that has ended keeps the record it has.
 */
public final class Runs {
    /** The failed stage of a run that failed between stages, or before its first. */
    public static final String BETWEEN_STAGES = "pipeline";

    private final Jdbc jdbc;

    Runs(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records run {@code id} in RUNNING state, with its tags. */
    public void start(
            UUID id, String pipeline, String trigger, String configJson, String artifactDir, Map<String, String> tags) {
        jdbc.write(tx -> {
            insert(tx, id, pipeline, trigger, configJson, artifactDir, tags);
            return null;
        });
    }

    /** A firing of a pipeline's schedule: the time its cron named (alike on every server), and who fired it. */
    public record Firing(Instant scheduledFor, String server) {}

    /**
     * Records run {@code id} as {@link #start} does, as the one run of a schedule's firing: false, and nothing
     * recorded, when a run of that firing was recorded before (by another server, whatever its clock said).
     */
    public boolean startFiring(
            UUID id, String pipeline, String configJson, String artifactDir, Map<String, String> tags, Firing firing) {
        return jdbc.write(tx -> {
            boolean claimed = tx.update(
                            "insert into schedule_claims (pipeline, scheduled_for, run_id, server) values (?, ?, ?, ?)"
                                    + " on conflict do nothing",
                            pipeline,
                            Timestamp.from(firing.scheduledFor()),
                            id,
                            firing.server())
                    == 1;
            if (claimed) {
                insert(tx, id, pipeline, "schedule", configJson, artifactDir, tags);
            }
            return claimed;
        });
    }

    private static void insert(
            Tx tx,
            UUID id,
            String pipeline,
            String trigger,
            String configJson,
            String artifactDir,
            Map<String, String> tags)
            throws SQLException {
        tx.update(
                "insert into pipeline_runs (id, pipeline, trigger, status, config, artifact_dir)"
                        + " values (?, ?, ?, 'RUNNING', ?::jsonb, ?)",
                id,
                pipeline,
                trigger,
                configJson,
                artifactDir);
        List<Object[]> rows = new ArrayList<>();
        tags.forEach((key, value) -> rows.add(new Object[] {id, key, value}));
        tx.batch("insert into run_tags (run_id, key, value) values (?, ?, ?)", rows);
    }

    /**
     * Takes the pipeline's PostgreSQL advisory lock, which holds across processes on this database until the
     * returned lock is closed (or its process dies); empty when another holder has it.
     */
    public Optional<PipelineLock> tryLock(String pipeline) {
        return PipelineLock.tryAcquire(jdbc.dataSource(), pipeline);
    }

    /** The spec a run recorded when it started (its {@code config}), for resuming it; empty for no such run. */
    public Optional<String> config(UUID runId) {
        return jdbc.read(
                tx -> tx.first("select config from pipeline_runs where id = ?", row -> row.getString(1), runId));
    }

    /** Puts a FAILED run back to RUNNING for {@code caravan resume}; false when it is not FAILED. */
    public boolean reopen(UUID runId) {
        return jdbc.write(tx -> tx.update(
                        "update pipeline_runs set status = 'RUNNING', finished_at = null,"
                                + " failed_stage = null, error = null, heartbeat_at = now(), resumed = resumed + 1"
                                + " where id = ? and status = 'FAILED'",
                        runId)
                == 1);
    }

    /**
     * Marks RUNNING runs whose heartbeat is older than {@code timeout} as FAILED ("abandoned"): their process died
     * without recording an end. A run whose pipeline lock is held is alive and left alone. The stage they were in
     * is named as the failed stage. Returns their ids.
     */
    public List<UUID> failAbandoned(Duration timeout) {
        return failAbandoned(timeout, Set.of());
    }

    /**
     * As {@link #failAbandoned(Duration)}, leaving alone the runs the calling process is running: after a
     * database restart their lock is gone and their heartbeat late until they reconnect, yet they are alive.
     */
    public List<UUID> failAbandoned(Duration timeout, Set<UUID> runningHere) {
        String alive = runningHere.stream().map(UUID::toString).collect(Collectors.joining(","));
        return jdbc.write(tx -> {
            List<Abandoned> abandoned = tx.list(
                    "update pipeline_runs r set status = 'FAILED', finished_at = now(),"
                            + " failed_stage = coalesce((select stage from stage_runs s where s.run_id = r.id"
                            + " and s.status = 'RUNNING' order by s.id desc limit 1), ?),"
                            + " error = 'abandoned: no heartbeat since ' || to_char(heartbeat_at at time zone 'UTC',"
                            + " 'YYYY-MM-DD HH24:MI:SS') || ' UTC (the process running it died; caravan resume ' || r.id"
                            + " || ' continues it)'"
                            + " where status = 'RUNNING' and heartbeat_at < now() - make_interval(secs => ?)"
                            + " and r.id::text <> all(string_to_array(?, ','))"
                            // a process that holds the pipeline's lock is alive, whatever its heartbeat interval
                            + " and not exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.granted"
                            + " and l.database = (select oid from pg_database where datname = current_database())"
                            + " and l.classid = ?::oid and l.objid = hashtext(r.pipeline)::oid and l.objsubid = 2)"
                            + " returning id, error",
                    row -> new Abandoned(row.getObject(1, UUID.class), row.getString(2)),
                    BETWEEN_STAGES,
                    (double) timeout.toMillis() / 1000,
                    alive,
                    PipelineLock.NAMESPACE);
            for (Abandoned run : abandoned) {
                tx.update(
                        "update stage_runs set status = 'FAILED', finished_at = now(), error = ?"
                                + " where run_id = ? and status = 'RUNNING'",
                        run.error(),
                        run.id());
            }
            return abandoned.stream().map(Abandoned::id).toList();
        });
    }

    private record Abandoned(UUID id, String error) {}

    /**
     * Marks the run FAILED with the stage at fault and the cause; the stage row too, if there is one. A run that
     * has already ended (stopped, or found abandoned) keeps the record it has.
     */
    public void fail(UUID runId, Long stageRunId, String stage, String error) {
        jdbc.write(tx -> {
            int failed = tx.update(
                    "update pipeline_runs set status = 'FAILED', finished_at = now(),"
                            + " heartbeat_at = now(), failed_stage = ?, error = ? where id = ? and status = 'RUNNING'",
                    stage,
                    error,
                    runId);
            if (failed == 1 && stageRunId != null) {
                tx.update(
                        "update stage_runs set status = 'FAILED', finished_at = now(), error = ? where id = ?",
                        error,
                        stageRunId);
            }
            return null;
        });
    }

    /** Marks a RUNNING run SUCCEEDED; one that was stopped or found abandoned meanwhile stays as recorded. */
    public void finish(UUID runId) {
        jdbc.write(tx -> tx.update(
                "update pipeline_runs set status = 'SUCCEEDED', finished_at = now(),"
                        + " heartbeat_at = now() where id = ? and status = 'RUNNING'",
                runId));
    }

    /** Tells crash recovery this run's process is alive. */
    public void heartbeat(UUID runId) {
        jdbc.write(tx ->
                tx.update("update pipeline_runs set heartbeat_at = now() where id = ? and status = 'RUNNING'", runId));
    }

    /** Locks the run's row for the transaction and fails unless the run is still RUNNING. */
    static void requireRunning(Tx tx, UUID runId) throws SQLException {
        String status = tx.first(
                        "select status from pipeline_runs where id = ? for update", row -> row.getString(1), runId)
                .orElse("unknown");
        if (!status.equals("RUNNING")) {
            throw CaravanException.busy("run " + runId + " is " + status + ", no longer RUNNING (it was stopped, or"
                    + " found abandoned); this stage's results are not recorded");
        }
    }

    /** The run did something: its heartbeat moves. */
    static void touch(Tx tx, UUID runId) throws SQLException {
        tx.update("update pipeline_runs set heartbeat_at = now() where id = ?", runId);
    }
}
