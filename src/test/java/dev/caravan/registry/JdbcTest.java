package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.CaravanException;
import dev.caravan.testing.CuttingProxy;
import dev.caravan.testing.TestDatabase;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Caravan's transactions: reads in a read-only snapshot under a timeout, writes all or nothing. */
class JdbcTest {
    private final TestDatabase db = TestDatabase.create();
    private final Jdbc jdbc = db.database().jdbc();

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

    private CuttingProxy proxy() {
        return new CuttingProxy(
                "localhost", URI.create(db.url().substring("jdbc:".length())).getPort());
    }

    /** The test's database through a proxy that can cut a connection, with the run store's outage window. */
    private Database throughProxy(CuttingProxy proxy, Duration outageWindow) {
        // prepareThreshold=0: every statement goes as text (no server-side prepared COMMIT), so the proxy sees it
        String url = db.url().replaceFirst("localhost:\\d+", "127.0.0.1:" + proxy.port()) + "&prepareThreshold=0";
        return Database.connect(url, "postgres", "", null, "proxied test database", outageWindow);
    }

    @Test
    void aCommitWhoseAnswerWasLostIsNotMadeTwice() {
        jdbc.write(tx -> tx.update("create table t (id serial primary key, v text)"));
        try (CuttingProxy proxy = proxy();
                Database proxied = throughProxy(proxy, Duration.ofSeconds(10))) {
            proxy.cutAfterNext("COMMIT");

            int id = proxied.jdbc()
                    .write(tx -> tx.one("insert into t (v) values ('once') returning id", row -> row.getInt(1)));

            assertThat(proxy.cuts()).as("the commit's answer was lost").isEqualTo(1);
            assertThat(db.count("select count(*) from t")).as("committed once").isEqualTo(1);
            assertThat(db.count("select id from t"))
                    .as("what the first try returned")
                    .isEqualTo(id);
        }
    }

    @Test
    void workCutOffBeforeItsCommitRunsAgain() {
        jdbc.write(tx -> tx.update("create table t (id serial primary key, v text)"));
        try (CuttingProxy proxy = proxy();
                Database proxied = throughProxy(proxy, Duration.ofSeconds(10))) {
            proxy.cutAfterNext("insert into t");

            proxied.jdbc().write(tx -> tx.update("insert into t (v) values ('again')"));

            assertThat(proxy.cuts()).isEqualTo(1);
            assertThat(db.count("select count(*) from t")).isEqualTo(1);
        }
    }

    @Test
    void anOutageLongerThanTheWindowFailsInOneLineNamingTheDatabase() {
        CuttingProxy proxy = proxy();
        try (Database proxied = throughProxy(proxy, Duration.ofSeconds(1))) {
            proxy.close(); // refuses connections from now on, and ends those it had

            assertThatThrownBy(() -> proxied.jdbc().write(tx -> tx.update("select 1")))
                    .isInstanceOf(CaravanException.class)
                    .hasMessageStartingWith("run store: cannot reach proxied test database for ")
                    .hasMessageContaining("refused")
                    .extracting(e -> ((CaravanException) e).kind())
                    .isEqualTo(CaravanException.Kind.UNAVAILABLE);
        }
    }
}
