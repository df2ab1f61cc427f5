package dev.caravan.registry;

import com.zaxxer.hikari.HikariDataSource;
import dev.caravan.data.CaravanException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * A pipeline's session-level PostgreSQL advisory lock: while one holder has it, no other process on the same
 * database gets it. It is held on a connection of its own, outside the pool (a long run must not pin one of the
 * pool's few connections), and released when closed, or by PostgreSQL when the holder's connection dies (TCP
 * keepalive notices a dead host). Different names can hash to one key; the cost is a spurious "busy", never an
 * overlap.
 */
public final class PipelineLock implements AutoCloseable {
    /** The first half of the two-key lock, so that Caravan's locks do not collide with other applications'. */
    static final int NAMESPACE = 0x43617276; // "Carv"

    private final Connection connection;
    private final String pipeline;

    private PipelineLock(Connection connection, String pipeline) {
        this.connection = connection;
        this.pipeline = pipeline;
    }

    static Optional<PipelineLock> tryAcquire(DataSource dataSource, String pipeline) {
        Connection connection = null;
        try {
            connection = openConnection(dataSource);
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
                lock.setInt(1, NAMESPACE);
                lock.setString(2, pipeline);
                try (ResultSet rows = lock.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return Optional.of(new PipelineLock(connection, pipeline));
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw CaravanException.unavailable(
                    "cannot take the lock of pipeline " + pipeline + ": " + e.getMessage(), e);
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

    @Override
    public void close() {
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
