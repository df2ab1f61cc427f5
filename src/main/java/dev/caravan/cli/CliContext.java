package dev.caravan.cli;

import dev.caravan.registry.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

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

    public Database openDatabase() {
        return Database.open(environment, home());
    }
}
