package dev.caravan.registry;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * How the registry talks to PostgreSQL, in one place: every unit of work is one transaction, either a write
 * (committed, or rolled back on any error) or a read (a read-only snapshot with a statement timeout, since the
 * REST API's reads need no token). Values are always bind parameters. Work whose connection is lost is tried again
 * for a while ({@link OutageRetry}); a write whose commit went unanswered is first looked up by its transaction id,
 * so that a commit the server made is never made twice.
 */
public final class Jdbc {
    /** No open read may hold the database for longer. */
    static final String READ_TIMEOUT = "10s";

    private final DataSource dataSource;
    private final OutageRetry retry;

    /**
     * @param database how errors name the database
     * @param outageWindow how long work waits for an unreachable database before it fails
     */
    public Jdbc(DataSource dataSource, String database, Duration outageWindow) {
        this.dataSource = dataSource;
        this.retry = new OutageRetry(database, outageWindow);
    }

    /** One transaction's work. It may run more than once, so it must not change anything but the database. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in a read-write transaction that commits when it returns. */
    public <T> T write(Work<T> work) {
        UnansweredCommit<T> unanswered = new UnansweredCommit<>();
        return retry.call("run store", () -> {
            if (unanswered.transactionId != null) {
                if (committed(unanswered.transactionId)) {
                    return unanswered.result;
                }
                unanswered.transactionId = null; // rolled back: the work runs again
            }
            return writeOnce(work, unanswered);
        });
    }

    /** A write whose commit was sent but never answered: its transaction id, and what the work returned. */
    private static final class UnansweredCommit<T> {
        String transactionId;
        T result;
    }

    private <T> T writeOnce(Work<T> work, UnansweredCommit<T> unanswered) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Tx tx = new Tx(connection);
            String transactionId;
            T result;
            try {
                transactionId = tx.one("select pg_current_xact_id()::text", row -> row.getString(1));
                result = work.run(tx);
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                if (OutageRetry.isConnectionLost(e)) {
                    unanswered.transactionId = transactionId;
                    unanswered.result = result;
                }
                throw e;
            }
            return result;
        }
    }

    /**
     * Whether the transaction committed, as the server's commit log says (it survives restarts). One still in
     * progress (the commit on its way, over a connection not yet closed) is asked about again.
     */
    private boolean committed(String transactionId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select pg_xact_status(?::xid8)")) {
            statement.setString(1, transactionId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                String status = row.getString(1);
                if ("in progress".equals(status)) {
                    throw new SQLTransientConnectionException(
                            "the commit of transaction " + transactionId + " has not finished yet");
                }
                return "committed".equals(status);
            }
        }
    }

    /** Runs {@code work} in a read-only snapshot (every query sees the same moment), under the read timeout. */
    public <T> T read(Work<T> work) {
        return retry.call("registry query", () -> readOnce(work));
    }

    private <T> T readOnce(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement settings = connection.createStatement()) {
                settings.execute("set transaction isolation level repeatable read, read only;"
                        + " set local statement_timeout = '" + READ_TIMEOUT + "'");
                T result = work.run(new Tx(connection));
                connection.rollback();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            }
        }
    }

    /** Rolls back after {@code failure}, keeping a failure to roll back as suppressed by it. */
    private static void rollBack(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** The statements of one transaction. */
    public static final class Tx {
        private final Connection connection;

        Tx(Connection connection) {
            this.connection = connection;
        }

        public <T> List<T> list(String sql, Row<T> mapper, Object... parameters) throws SQLException {
            try (PreparedStatement statement = prepare(sql, parameters);
                    ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }

        public <T> List<T> list(Sql sql, Row<T> mapper) throws SQLException {
            return list(sql.text(), mapper, sql.parameters());
        }

        public <T> Optional<T> first(String sql, Row<T> mapper, Object... parameters) throws SQLException {
            return list(sql, mapper, parameters).stream().findFirst();
        }

        /** The query's one row: an aggregate, or an insert's {@code returning} clause. */
        public <T> T one(String sql, Row<T> mapper, Object... parameters) throws SQLException {
            List<T> rows = list(sql, mapper, parameters);
            if (rows.size() != 1) {
                throw new IllegalStateException("expected one row, got " + rows.size() + " from: " + sql);
            }
            return rows.get(0);
        }

        /** Runs an insert, update or delete; returns the number of rows it touched. */
        public int update(String sql, Object... parameters) throws SQLException {
            try (PreparedStatement statement = prepare(sql, parameters)) {
                return statement.executeUpdate();
            }
        }

        /** Runs one statement once per row of parameters, in one round trip. */
        public void batch(String sql, Collection<Object[]> rows) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (Object[] parameters : rows) {
                    bind(statement, parameters);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }

        /** A {@code uuid[]} parameter, for {@code = any(?)}. */
        public Array uuids(Collection<?> ids) throws SQLException {
            return connection.createArrayOf("uuid", ids.toArray());
        }

        private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(sql);
            try {
                bind(statement, parameters);
                return statement;
            } catch (SQLException e) {
                statement.close();
                throw e;
            }
        }

        private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }
}
