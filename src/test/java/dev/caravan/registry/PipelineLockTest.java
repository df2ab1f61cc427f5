package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineLockTest {
    private final TestDatabase db = TestDatabase.create();
    private final RunStore store = db.store();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void oneHolderPerPipelineUntilItCloses() {
        Optional<PipelineLock> first = store.tryLockPipeline("nightly");
        assertThat(first).isPresent();
        assertThat(store.tryLockPipeline("nightly")).as("held by another session").isEmpty();
        try (PipelineLock other = store.tryLockPipeline("hourly").orElseThrow()) {
            assertThat(other).as("another pipeline is independent").isNotNull();
        }

        first.get().close();

        try (PipelineLock again = store.tryLockPipeline("nightly").orElseThrow()) {
            assertThat(db.count("select count(*) from pg_locks where locktype = 'advisory' and granted")).isEqualTo(1);
        }
    }
}
