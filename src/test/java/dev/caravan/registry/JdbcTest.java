package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.CaravanException;
import dev.caravan.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Caravan's transactions: reads in a read-only snapshot under a timeout, writes all or nothing. */
class JdbcTest {
    private final TestDatabase db = TestDatabase.create();
    private final Jdbc jdbc = new Jdbc(db.database().dataSource());

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aReadIsARepeatableReadOnlySnapshotUnderTheTimeout() {
        List<String> settings = jdbc.read(tx -> List.of(
                tx.one("show transaction_isolation", row -> row.getString(1)),
                tx.one("show transaction_read_only", row -> row.getString(1)),
                tx.one("show statement_timeout", row -> row.getString(1))));

        assertThat(settings).containsExactly("repeatable read", "on", "10s");
        assertThatThrownBy(() -> jdbc.read(tx -> tx.update("create table t (x int)")))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("read-only transaction");
        String readOnlyAfter = jdbc.write(tx -> tx.one("show transaction_read_only", row -> row.getString(1)));
        assertThat(readOnlyAfter).as("the pooled connection is writable again").isEqualTo("off");
    }

    @Test
    void aWriteThatFailsLeavesNothing() {
        jdbc.write(tx -> tx.update("create table t (x int primary key)"));

        assertThatThrownBy(() -> jdbc.write(tx -> {
                    tx.update("insert into t values (1)");
                    return tx.update("insert into t values (1)");
                }))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("duplicate key");
        assertThat(db.count("select count(*) from t")).isZero();
    }
}
