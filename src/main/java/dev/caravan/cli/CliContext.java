package dev.caravan.cli;

import dev.caravan.registry.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * What the commands read from the outside world, gathered in one place so tests can supply their own.
 *
 * @param environment the process environment ({@code CARAVAN_HOME}, {@code CARAVAN_DB_URL}, ...)
 * @param installDir where Caravan is installed: the bundled example lives under it
 */
public record CliContext(Map<String, String> environment, Path installDir, PrintStream out, PrintStream err) {
    public static CliContext fromSystem() {
        String install = System.getProperty("caravan.install.dir", System.getProperty("user.dir"));
        return new CliContext(System.getenv(), Path.of(install), System.out, System.err);
    }

    /** {@code $CARAVAN_HOME}, else {@code ~/.caravan}: the embedded database and run artifacts live here. */
    public Path home() {
        String home = environment.get("CARAVAN_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".caravan");
    }

    /**
     * Opens the database and marks runs whose process died (no heartbeat within the timeout) as FAILED, so that
     * every command sees them as they are and {@code caravan resume} can continue them.
     */
    public Database openDatabase() {
        Database database = Database.open(environment, home(), outageWindow());
        try {
            for (UUID run : database.registry().runs().failAbandoned(heartbeatTimeout())) {
                err.println("warning: run " + run + " was abandoned (no heartbeat for "
                        + heartbeatTimeout().toSeconds() + " s); marked FAILED. caravan resume " + run
                        + " continues it.");
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** {@code $CARAVAN_HEARTBEAT_TIMEOUT_SECONDS} (default 60): a RUNNING run silent for longer is abandoned. */
    public Duration heartbeatTimeout() {
        return seconds("CARAVAN_HEARTBEAT_TIMEOUT_SECONDS", Duration.ofSeconds(60), 1);
    }

    /**
     * {@code $CARAVAN_DB_RETRY_SECONDS} (default: the heartbeat timeout): how long the run store waits for a
     * database that cannot be reached (a restart) before the work fails; 0 never waits.
     */
    public Duration outageWindow() {
        return seconds("CARAVAN_DB_RETRY_SECONDS", heartbeatTimeout(), 0);
    }

    private Duration seconds(String variable, Duration fallback, long least) {
        String text = environment.get(variable);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long seconds = Long.parseLong(text.trim());
            if (seconds < least) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    variable + " must be a whole number of seconds >= " + least + ", got '" + text + "'", e);
        }
    }
}
