package dev.caravan.registry;

import dev.caravan.data.CaravanException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * How the registry talks to PostgreSQL, in one place: every unit of work is one transaction, either a write
 * (committed, or rolled back on any error) or a read (a read-only snapshot with a statement timeout, since the
 * REST API's reads need no token). Values are always bind parameters.
 */
public final class Jdbc {
    /** No open read may hold the database for longer. */
    static final String READ_TIMEOUT = "10s";

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One transaction's work. */
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
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            T result = runOrRollBack(connection, work);
            connection.commit();
            return result;
        } catch (SQLException e) {
            throw failure("run store", e);
        }
    }

    /** Runs {@code work} in a read-only snapshot (every query sees the same moment), under the read timeout. */
    public <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            T result = runOrRollBack(connection, tx -> {
                try (Statement settings = connection.createStatement()) {
                    settings.execute("set transaction isolation level repeatable read, read only;"
                            + " set local statement_timeout = '" + READ_TIMEOUT + "'");
                }
                return work.run(tx);
            });
            connection.rollback();
            return result;
        } catch (SQLException e) {
            throw failure("registry query", e);
        }
    }

    /** Runs {@code work}; when it fails, rolls back, keeping a failure to roll back as suppressed by the first. */
    private static <T> T runOrRollBack(Connection connection, Work<T> work) throws SQLException {
        try {
            return work.run(new Tx(connection));
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /** A database that cannot be reached (SQL state class 08) or a read that timed out is unavailable. */
    private static CaravanException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean unavailable =
                e instanceof SQLTransientConnectionException || state.startsWith("08") || state.equals("57014");
        return new CaravanException(
                unavailable ? CaravanException.Kind.UNAVAILABLE : CaravanException.Kind.FAULT,
                what + ": " + e.getMessage(),
                e);
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
