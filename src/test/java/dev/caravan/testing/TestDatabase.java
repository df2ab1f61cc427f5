package dev.caravan.testing;

import dev.caravan.registry.Database;
import dev.caravan.registry.Registry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, migrated database per test, on one real embedded PostgreSQL server shared by the test JVM. Tests never
 * see each other's rows.
 */
public final class TestDatabase implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** The run store's outage window in tests: no test's database goes away unless the test makes it. */
    public static final Duration OUTAGE_WINDOW = Duration.ofSeconds(10);

    private static EmbeddedPostgres server;

    private final String url;
    private final Database database;

    private TestDatabase(String url) {
        this.url = url;
        this.database = Database.connect(url, "postgres", "", null, "test database", OUTAGE_WINDOW);
    }

    /** Creates a new empty database and applies the migrations to it. */
    public static TestDatabase create() {
        return open(createEmpty());
    }

    /** Creates a new database without any migration applied; returns its JDBC URL (user postgres, no password). */
    public static String createEmpty() {
        EmbeddedPostgres postgres = server();
        String name = "caravan_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    /** Opens a database made by {@link #createEmpty()}, applying the migrations it lacks. */
    public static TestDatabase open(String url) {
        return new TestDatabase(url);
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path dataDir = Files.createTempDirectory("caravan-test-pg");
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(true)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL for tests", e);
            }
        }
        return server;
    }

    /** Its JDBC URL (user postgres, no password). */
    public String url() {
        return url;
    }

    public Database database() {
        return database;
    }

    public Registry registry() {
        return database.registry();
    }

    /** The environment that points the CLI at this database, with its home (artifacts) under {@code home}. */
    public Map<String, String> environment(Path home) {
        return Map.of(
                "CARAVAN_DB_URL",
                url,
                "CARAVAN_DB_USER",
                "postgres",
                "CARAVAN_DB_PASSWORD",
                "",
                "CARAVAN_HOME",
                home.toString());
    }

    /** Runs one SQL query that returns a single text value. */
    public String text(String sql) {
        return single(sql, rows -> rows.getString(1));
    }

    /** Runs one SQL query that returns a single number. */
    public long count(String sql) {
        return single(sql, rows -> rows.getLong(1));
    }

    private interface FirstColumn<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T single(String sql, FirstColumn<T> column) {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return column.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
