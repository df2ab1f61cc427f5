package dev.caravan.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.caravan.pipeline.BackgroundRuns;
import dev.caravan.pipeline.PipelineRunner;
import dev.caravan.registry.PipelineLock;
import dev.caravan.registry.ScheduleEvents;
import dev.caravan.registry.ScheduleEvents.Event;
import dev.caravan.registry.ScheduleEvents.Outcome;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.testing.Await;
import dev.caravan.testing.TestDatabase;
import dev.caravan.testing.TinyPipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quartz firings against a real database: what each firing records, and that busy or missed ones start nothing. */
class PipelineSchedulerTest {
    private static final String SERVER = "test-host:1";
    private static final String EVERY_SECOND = "* * * * * ?";

    @TempDir
    Path dir;

    private TestDatabase db;
    private ScheduleEvents events;
    private PipelineRunner runner;
    private BackgroundRuns runs;
    private PipelineScheduler scheduler;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        events = new ScheduleEvents(db.database().jdbc());
        runner = PipelineRunner.start(db.registry(), dir.resolve("runs"), Duration.ofSeconds(60));
        runs = new BackgroundRuns(runner, Duration.ofMinutes(3));
    }

    @AfterEach
    void tearDown() {
        if (scheduler != null) {
            scheduler.close();
        }
        runs.close();
        runner.close();
        db.close();
    }

    private void schedule(String cron, Duration misfireThreshold) {
        Path spec = TinyPipeline.write(dir, "tiny", "schedule: \"" + cron + "\"");
        List<PipelineCatalog.Entry> scheduled =
                PipelineCatalog.load(List.of(spec), null).scheduled();
        scheduler = new PipelineScheduler(scheduled, runs, events, SERVER, misfireThreshold);
    }

    /** The missed firings due after {@code time}: on a busy machine the very first firing may count as missed too. */
    private List<Event> missedAfter(Instant time) {
        return events.latest("tiny", 100).stream()
                .filter(e -> e.outcome() == Outcome.SKIPPED_MISFIRE
                        && e.scheduledFor().isAfter(time))
                .toList();
    }

    private long count(Outcome outcome) {
        return db.count("select count(*) from schedule_events where outcome = '" + outcome + "'");
    }

    @Test
    void aFiringStartsARunAndRecordsItsId() {
        schedule(EVERY_SECOND, Duration.ofSeconds(5));
        scheduler.start();

        Await.until("a STARTED event", Duration.ofMinutes(1), () -> count(Outcome.STARTED) > 0);
        scheduler.close();
        runs.close(); // waits for the runs to finish

        Event started = events.latest("tiny", 100).stream()
                .filter(e -> e.outcome() == Outcome.STARTED)
                .reduce((newer, older) -> older)
                .orElseThrow();
        assertThat(started.server()).isEqualTo(SERVER);
        assertThat(started.scheduledFor()).isNotNull().isBeforeOrEqualTo(started.firedAt());
        assertThat(db.count("select count(*) from pipeline_runs where id = '" + started.runId() + "'"
                        + " and trigger = 'schedule' and status = 'SUCCEEDED'"))
                .isEqualTo(1);
        assertThat(db.count("select count(*) from pipeline_runs")).isEqualTo(count(Outcome.STARTED));
    }

    @Test
    void aFiringWhileThePipelineRunsIsSkippedAsBusy() {
        schedule(EVERY_SECOND, Duration.ofSeconds(5));

        try (PipelineLock held = db.registry().runs().tryLock("tiny").orElseThrow()) {
            scheduler.start();
            Await.until("two SKIPPED_BUSY events", Duration.ofMinutes(1), () -> count(Outcome.SKIPPED_BUSY) >= 2);
            scheduler.close();
        }

        assertThat(events.latest("tiny", 100)).allSatisfy(event -> {
            assertThat(event.outcome()).isEqualTo(Outcome.SKIPPED_BUSY);
            assertThat(event.runId()).isNull();
            assertThat(event.detail()).contains("already running");
        });
        assertThat(db.count("select count(*) from pipeline_runs")).isZero();
    }

    @Test
    void firingsMissedWhileTheDatabaseStallsAreSkippedAndRecorded() throws Exception {
        schedule(EVERY_SECOND, Duration.ofMillis(200));
        HikariDataSource pool = (HikariDataSource) db.database().dataSource();
        List<Connection> taken = new ArrayList<>();
        Instant stalled;
        try (PipelineLock held = db.registry().runs().tryLock("tiny").orElseThrow()) {
            scheduler.start();
            Await.until("a firing", Duration.ofMinutes(1), () -> count(Outcome.SKIPPED_BUSY) > 0);
            // take the whole pool (the lock has a connection of its own): the one Quartz thread waits for a
            // connection while firings fall due
            stalled = Instant.now();
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                taken.add(pool.getConnection());
            }
            Await.until(
                    "a firing waiting for the database",
                    Duration.ofMinutes(1),
                    () -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0);
            Thread.sleep(1500); // the next firing falls due and passes the threshold
            for (Connection connection : taken) {
                connection.close();
            }
            Await.until("a SKIPPED_MISFIRE event", Duration.ofMinutes(1), () -> !missedAfter(stalled)
                    .isEmpty());
            scheduler.close();
        }

        assertThat(missedAfter(stalled)).allSatisfy(event -> {
            assertThat(event.server()).isEqualTo(SERVER);
            assertThat(event.runId()).isNull();
            assertThat(Duration.between(event.scheduledFor(), event.firedAt())).isGreaterThan(Duration.ofMillis(200));
            assertThat(event.detail()).contains("schedules do not catch up");
        });
        assertThat(db.count("select count(*) from pipeline_runs")).isZero();
    }
}
