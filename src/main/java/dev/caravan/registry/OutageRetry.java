package dev.caravan.registry;

import dev.caravan.data.CaravanException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work again, with backoff, while the database cannot be reached (a restart, a dropped connection),
 * for at most a window; past it the work fails with one line that names the database and the cause.
 */
final class OutageRetry {
    private static final Logger LOG = LoggerFactory.getLogger(OutageRetry.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final String database;
    private final Duration window;

    /**
     * @param database how errors name the database ("PostgreSQL at jdbc:...")
     * @param window how long work may wait for the database to answer again; zero never retries
     */
    OutageRetry(String database, Duration window) {
        this.database = database;
        this.window = window;
    }

    /** One try of the work; it throws {@link SQLException} as the driver or the pool gave it. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws SQLException;
    }

    /**
     * Tries until the work succeeds, fails for a reason other than the connection, or the window has passed.
     *
     * @param what what the work is, for messages ("run store", "registry query")
     */
    <T> T call(String what, Attempt<T> attempt) {
        Instant start = Instant.now();
        Instant deadline = start.plus(window);
        Duration pause = FIRST_PAUSE;
        int failures = 0;
        while (true) {
            try {
                T result = attempt.run();
                if (failures > 0) {
                    LOG.info("{}: {} answers again after {} s", what, database, secondsSince(start));
                }
                return result;
            } catch (SQLException e) {
                if (!isConnectionLost(e)) {
                    throw failure(what, e);
                }
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    throw unreachable(what, start, e);
                }
                if (failures++ == 0) {
                    LOG.warn(
                            "{}: cannot reach {} ({}); trying again for up to {} s",
                            what,
                            database,
                            rootMessage(e),
                            window.toSeconds());
                }
                sleep(pause.compareTo(left) < 0 ? pause : left);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0 ? pause.multipliedBy(2) : LONGEST_PAUSE;
            }
        }
    }

    /**
     * The connection, not the statement, failed: the server is unreachable, restarting or shutting down (SQL state
     * class 08; 57P01-57P03), or the pool found no live connection in time.
     */
    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03");
    }

    private CaravanException unreachable(String what, Instant start, SQLException e) {
        if (e instanceof SQLTransientConnectionException && e.getCause() == null) { // reachable, but every
            return CaravanException.unavailable( // connection of the pool is taken
                    what + ": no free connection to " + database + "; try again shortly (" + e.getMessage() + ")", e);
        }
        return CaravanException.unavailable(
                what + ": cannot reach " + database + " for " + secondsSince(start) + " s: " + rootMessage(e), e);
    }

    /** A query that timed out is unavailable too; anything else is a fault. */
    static CaravanException failure(String what, SQLException e) {
        boolean timedOut = "57014".equals(e.getSQLState());
        return new CaravanException(
                timedOut ? CaravanException.Kind.UNAVAILABLE : CaravanException.Kind.FAULT,
                what + ": " + e.getMessage(),
                e);
    }

    private static long secondsSince(Instant start) {
        return Duration.between(start, Instant.now()).toSeconds();
    }

    /** The innermost cause that says something: the pool wraps the driver, which wraps the socket's error. */
    static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaravanException(
                    CaravanException.Kind.UNAVAILABLE, "interrupted while waiting for the database", e);
        }
    }
}
