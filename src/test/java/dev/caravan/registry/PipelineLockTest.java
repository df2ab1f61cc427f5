package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineLockTest {
    private final TestDatabase db = TestDatabase.create();
    private final Registry registry = db.registry();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void oneHolderPerPipelineUntilItCloses() {
        Optional<PipelineLock> first = registry.runs().tryLock("nightly");
        assertThat(first).isPresent();
        assertThat(registry.runs().tryLock("nightly"))
                .as("held by another session")
                .isEmpty();
        try (PipelineLock other = registry.runs().tryLock("hourly").orElseThrow()) {
            assertThat(other).as("another pipeline is independent").isNotNull();
        }

        first.get().close();

        try (PipelineLock again = registry.runs().tryLock("nightly").orElseThrow()) {
            assertThat(db.count("select count(*) from pg_locks where locktype = 'advisory' and granted"))
                    .isEqualTo(1);
        }
    }

    @Test
    void locksDoNotTakeThePoolsConnections() {
        List<PipelineLock> held = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) { // more than the pool's 8 connections
                held.add(registry.runs().tryLock("pipeline-" + i).orElseThrow());
            }
            assertThat(registry.runQueries().search(null, List.of(), 1, 0).runs())
                    .as("the pool still answers")
                    .isEmpty();
            assertThat(db.count("select count(*) from pg_locks where locktype = 'advisory' and granted"))
                    .isEqualTo(12);
        } finally {
            held.forEach(PipelineLock::close);
        }
        assertThat(db.count("select count(*) from pg_locks where locktype = 'advisory'"))
                .isZero();
    }

    /** Ends the lock's database session, as a PostgreSQL restart or a dropped connection would. */
    private void killLockSessions() {
        db.count("select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity"
                + " where application_name = 'caravan pipeline lock') killed");
    }

    @Test
    void aLockWhoseSessionDiedIsTakenAgainWhenNobodyElseHasIt() {
        try (PipelineLock lock = registry.runs().tryLock("nightly").orElseThrow()) {
            assertThat(lock.check()).isEqualTo(PipelineLock.State.HELD);

            killLockSessions();

            assertThat(lock.check()).isEqualTo(PipelineLock.State.RETAKEN);
            assertThat(registry.runs().tryLock("nightly"))
                    .as("held again, by the new session")
                    .isEmpty();
            assertThat(lock.check()).isEqualTo(PipelineLock.State.HELD);
        }
    }

    @Test
    void aLockTakenByAnotherProcessWhileItsSessionWasDeadIsLost() {
        try (PipelineLock lock = registry.runs().tryLock("nightly").orElseThrow()) {
            killLockSessions();
            try (PipelineLock other = registry.runs().tryLock("nightly").orElseThrow()) {
                assertThat(lock.check()).isEqualTo(PipelineLock.State.LOST);
                assertThat(db.count("select count(*) from pg_locks where locktype = 'advisory' and granted"))
                        .as("only the other holder")
                        .isEqualTo(1);
            }
        }
    }
}
