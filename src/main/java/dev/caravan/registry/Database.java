package dev.caravan.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.caravan.data.CaravanException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migrated PostgreSQL database: an external server when {@code CARAVAN_DB_URL} is set, otherwise an embedded
 * one (zonky's real PostgreSQL binaries) whose data lives in {@code <home>/postgres} with fsync on.
 */
public final class Database implements AutoCloseable {
    private static final String MIGRATIONS = "classpath:db/migration";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** How many connections the REST API's reads may hold: never the pipeline's. */
    static final int API_CONNECTIONS = 4;

    private final HikariDataSource pool;
    private HikariDataSource apiPool;
    private final EmbeddedPostgres embedded;
    private final String description;
    private final Duration outageWindow;
    private boolean closed;

    private Database(HikariDataSource pool, EmbeddedPostgres embedded, String description, Duration outageWindow) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
        this.outageWindow = outageWindow;
    }

    /**
     * The database the environment selects: {@code CARAVAN_DB_URL/USER/PASSWORD}, else embedded under home.
     *
     * @param outageWindow how long the run store's work waits for a database that cannot be reached
     */
    public static Database open(Map<String, String> environment, Path home, Duration outageWindow) {
        String url = environment.get("CARAVAN_DB_URL");
        if (url != null && !url.isBlank()) {
            return connect(
                    url,
                    environment.getOrDefault("CARAVAN_DB_USER", ""),
                    environment.getOrDefault("CARAVAN_DB_PASSWORD", ""),
                    null,
                    "PostgreSQL at " + url,
                    outageWindow);
        }
        return embedded(home.resolve("postgres"), outageWindow);
    }

    /**
     * An embedded server on {@code dataDirectory}, or the one already running there (a concurrent process); either
     * way reached with the password kept beside it ({@link EmbeddedAccess}).
     */
    public static Database embedded(Path dataDirectory, Duration outageWindow) {
        EmbeddedAccess access = new EmbeddedAccess(dataDirectory);
        try {
            Optional<Integer> runningPort = runningServerPort(dataDirectory);
            if (runningPort.isPresent()) {
                return connect(
                        jdbcUrl(runningPort.get()),
                        "postgres",
                        access.password(),
                        null,
                        "embedded PostgreSQL at " + dataDirectory + " (shared, port " + runningPort.get() + ")",
                        outageWindow);
            }
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres server = access.configure(EmbeddedPostgres.builder())
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setRegisterShutdownHook(false) // close() decides: another process may still be using it
                    .start();
            access.secure(server);
            return connect(
                    jdbcUrl(server.getPort()),
                    "postgres",
                    access.password(),
                    server,
                    "embedded PostgreSQL at " + dataDirectory + " (port " + server.getPort() + ")",
                    outageWindow);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Connects to a server, applies the migrations, and fails loudly if they cannot be found or applied. */
    public static Database connect(
            String url,
            String user,
            String password,
            EmbeddedPostgres owned,
            String description,
            Duration outageWindow) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("caravan");
        config.setInitializationFailTimeout(10_000);
        // an unreachable server fails each try quickly; OutageRetry decides how long to go on trying
        config.setConnectionTimeout(5_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            closeQuietly(owned);
            throw CaravanException.unavailable(
                    "cannot connect to PostgreSQL at " + url + ": " + OutageRetry.rootMessage(e), e);
        }
        Database database = new Database(pool, owned, description, outageWindow);
        if (owned != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "caravan-postgres-stop"));
        }
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .load()
                .migrate();
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /**
     * The port of a live postmaster that owns {@code dataDirectory}: another Caravan process, or one left behind
     * by a process that was killed. PostgreSQL's lock file holds its pid (line 1) and port (line 4).
     */
    private static Optional<Integer> runningServerPort(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(lockFile);
            long pid = Long.parseLong(lines.get(0).trim());
            if (lines.size() < 4
                    || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.empty();
            }
            return Optional.of(Integer.parseInt(lines.get(3).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no lock file, or a stale one PostgreSQL will replace
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Transactions on this database that wait out an outage of up to the window. */
    public Jdbc jdbc() {
        return new Jdbc(pool, description, outageWindow);
    }

    public Registry registry() {
        return Registry.of(jdbc());
    }

    /**
     * A small pool of its own for the REST API, so that its reads can never take the connections a running
     * pipeline's heartbeats and commits need; a request that finds no free connection within 2 s fails at once.
     */
    public synchronized DataSource apiDataSource() {
        if (apiPool == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(pool.getJdbcUrl());
            config.setUsername(pool.getUsername());
            config.setPassword(pool.getPassword());
            config.setMaximumPoolSize(API_CONNECTIONS);
            config.setPoolName("caravan-api");
            config.setConnectionTimeout(2_000);
            apiPool = new HikariDataSource(config);
        }
        return apiPool;
    }

    /** The REST API's registry: on {@link #apiDataSource}, answering 503 at once rather than waiting out outages. */
    public Registry apiRegistry() {
        return Registry.of(new Jdbc(apiDataSource(), description, Duration.ZERO));
    }

    /** Where the data lives, for logs and {@code --help}. */
    public String description() {
        return description;
    }

    /**
     * Closes the pool and, for an embedded server this process started, stops it unless another Caravan process
     * joined it meanwhile: then it stays up for them, and the next start on this home reuses it.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (apiPool != null) {
            apiPool.close();
        }
        pool.close();
        if (embedded != null && !hasOtherClients(embedded)) {
            closeQuietly(embedded);
        }
    }

    private static boolean hasOtherClients(EmbeddedPostgres server) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from pg_stat_activity"
                        + " where backend_type = 'client backend' and pid <> pg_backend_pid()")) {
            rows.next();
            boolean others = rows.getLong(1) > 0;
            if (others) {
                LOG.info("leaving embedded PostgreSQL running: another process is connected to it");
            }
            return others;
        } catch (SQLException e) {
            return false; // it is not answering anyway
        }
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // the server is going away with this process anyway
            }
        }
    }
}
