package dev.caravan.registry;

import com.zaxxer.hikari.HikariDataSource;
import dev.caravan.data.CaravanException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * A pipeline's session-level PostgreSQL advisory lock: while one holder has it, no other process on the same
 * database gets it. It is held on a connection of its own, outside the pool (a long run must not pin one of the
 * pool's few connections), and released when closed, or by PostgreSQL when the holder's connection dies (TCP
 * keepalive notices a dead host). A run {@link #check}s it on every heartbeat. Different names can hash to one key;
 * the cost is a spurious "busy", never an overlap.
 */
public final class PipelineLock implements AutoCloseable {
    /** The first half of the two-key lock, so that Caravan's locks do not collide with other applications'. */
    static final int NAMESPACE = 0x43617276; // "Carv"

    /** What {@link #check} found. */
    public enum State {
        /** The session that holds the lock is alive. */
        HELD,
        /** The session had died (a database restart, a dropped connection) and the lock was taken again. */
        RETAKEN,
        /** The session had died and another process holds the lock now. */
        LOST
    }

    /** Seconds a check waits for the lock's session to answer. */
    private static final int CHECK_SECONDS = 5;

    private final DataSource dataSource;
    private final String pipeline;
    private Connection connection;
    /** The PostgreSQL backend of {@link #connection}, whose session holds the lock. */
    private int backend;

    private boolean closed;

    private PipelineLock(DataSource dataSource, Connection connection, String pipeline) throws SQLException {
        this.dataSource = dataSource;
        this.connection = connection;
        this.pipeline = pipeline;
        this.backend = backendOf(connection);
    }

    static Optional<PipelineLock> tryAcquire(DataSource dataSource, String pipeline) {
        try {
            Optional<Connection> taken = take(dataSource, pipeline);
            if (taken.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PipelineLock(dataSource, taken.get(), pipeline));
        } catch (SQLException e) {
            throw CaravanException.unavailable(
                    "cannot take the lock of pipeline " + pipeline + ": " + e.getMessage(), e);
        }
    }

    /** A connection whose session holds the pipeline's lock, or empty when another session holds it. */
    private static Optional<Connection> take(DataSource dataSource, String pipeline) throws SQLException {
        Connection connection = openConnection(dataSource);
        try (Statement keepalive = connection.createStatement();
                PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
            // the server's side of the lock's TCP connection probes a silent client after a minute, not the two
            // hours of the kernel default, so a dead holder's lock is freed within about 90 s
            keepalive.execute("set tcp_keepalives_idle = 60; set tcp_keepalives_interval = 10;"
                    + " set tcp_keepalives_count = 3");
            lock.setInt(1, NAMESPACE);
            lock.setString(2, pipeline);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                if (rows.getBoolean(1)) {
                    return Optional.of(connection);
                }
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /**
     * Whether this holder still has the lock. PostgreSQL releases a session's advisory locks when the session
     * ends, so a holder whose connection died holds nothing, and another process could start an overlapping run.
     * The check asks the session; a dead one is replaced by a new session that takes the lock again, unless
     * someone else has it.
     *
     * @throws CaravanException UNAVAILABLE when the database cannot be reached to take the lock again
     */
    public synchronized State check() {
        if (closed) {
            return State.HELD; // released on purpose: nothing to check, and nothing to take again
        }
        try {
            if (connection.isValid(CHECK_SECONDS)) {
                return State.HELD;
            }
        } catch (SQLException e) {
            // treated as a dead session below
        }
        abort();
        try {
            Optional<Connection> retaken = take(dataSource, pipeline);
            if (retaken.isEmpty() && endStaleBackend()) {
                retaken = take(dataSource, pipeline);
            }
            if (retaken.isEmpty()) {
                return State.LOST;
            }
            connection = retaken.get();
            backend = backendOf(connection);
            return State.RETAKEN;
        } catch (SQLException e) {
            throw CaravanException.unavailable(
                    "cannot take the lock of pipeline " + pipeline + " again: " + e.getMessage(), e);
        }
    }

    /** A connection of its own to the pool's database; the data source itself when it is not a pool. */
    private static Connection openConnection(DataSource dataSource) throws SQLException {
        if (!(dataSource instanceof HikariDataSource pool)) {
            return dataSource.getConnection();
        }
        Properties properties = new Properties();
        properties.setProperty("user", pool.getUsername());
        properties.setProperty("password", pool.getPassword() == null ? "" : pool.getPassword());
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "caravan pipeline lock");
        return DriverManager.getConnection(pool.getJdbcUrl(), properties);
    }

    /**
     * The server may not have noticed yet that the old session's client is gone (a network blip, a stalled
     * server): then that backend still holds the lock, and it is ours to end, not another process's lock.
     */
    private boolean endStaleBackend() throws SQLException {
        try (Connection admin = dataSource.getConnection();
                PreparedStatement end = admin.prepareStatement("select pg_terminate_backend(l.pid)"
                        + " from pg_locks l where l.locktype = 'advisory' and l.granted and l.pid = ?"
                        + " and l.classid = ?::oid and l.objid = hashtext(?)::oid and l.objsubid = 2")) {
            end.setInt(1, backend);
            end.setInt(2, NAMESPACE);
            end.setString(3, pipeline);
            try (ResultSet rows = end.executeQuery()) {
                if (!rows.next() || !rows.getBoolean(1)) {
                    return false;
                }
            }
        }
        // the backend ends, and releases the lock, shortly after it is signalled
        try (Connection admin = dataSource.getConnection();
                PreparedStatement gone = admin.prepareStatement(
                        "select pg_sleep(0.1) from pg_stat_activity" + " where pid = ? limit 1")) {
            gone.setInt(1, backend);
            for (int tries = 0; tries < 50; tries++) {
                try (ResultSet rows = gone.executeQuery()) {
                    if (!rows.next()) {
                        return true;
                    }
                }
            }
        }
        return true;
    }

    private static int backendOf(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("select pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
                unlock.setInt(1, NAMESPACE);
                unlock.setString(2, pipeline);
                unlock.executeQuery().close();
            }
            connection.close();
        } catch (SQLException e) {
            abort(); // make sure the session, and the lock with it, ends
        }
    }

    private void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            // the session is already gone, and the lock with it
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing left to release
            }
        }
    }
}
