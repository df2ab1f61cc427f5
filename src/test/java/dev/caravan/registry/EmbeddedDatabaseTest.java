package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default database: embedded PostgreSQL whose data outlives the process that started it. */
class EmbeddedDatabaseTest {
    @TempDir
    Path home;

    @Test
    void keepsRunsAcrossRestartsWithFsyncOn() throws Exception {
        UUID run = UUID.randomUUID();
        try (Database first = Database.open(Map.of(), home, TestDatabase.OUTAGE_WINDOW)) {
            first.registry().runs().start(run, "p", "test", "{}", "/tmp", Map.of());
            assertThat(setting(first, "fsync")).isEqualTo("on");
            assertThat(setting(first, "synchronous_commit")).isEqualTo("on");
        }
        try (Database second = Database.open(Map.of(), home, TestDatabase.OUTAGE_WINDOW)) {
            assertThat(second.registry()
                            .runQueries()
                            .search(null, List.of(), 10, 0)
                            .runs())
                    .extracting(r -> r.runId())
                    .containsExactly(run);
        }
        assertThat(home.resolve("postgres/PG_VERSION")).exists();
    }

    @Test
    void aSecondProcessSharesTheServerAndKeepsItWhenTheFirstLeaves() throws Exception {
        Database first = Database.open(Map.of(), home, TestDatabase.OUTAGE_WINDOW);
        try (Database second = Database.open(Map.of(), home, TestDatabase.OUTAGE_WINDOW)) {
            assertThat(second.description()).contains("shared");
            first.close();
            UUID run = UUID.randomUUID();
            second.registry().runs().start(run, "p", "test", "{}", "/tmp", Map.of());
            assertThat(second.registry()
                            .runQueries()
                            .search(null, List.of(), 1, 0)
                            .runs())
                    .extracting(r -> r.runId())
                    .containsExactly(run);
        } finally {
            stopLeftoverServer();
        }
    }

    @Test
    void onlyWhoeverReadsThePasswordFileGetsIn() throws Exception {
        try (Database database = Database.open(Map.of(), home, TestDatabase.OUTAGE_WINDOW)) {
            String url = "jdbc:postgresql://localhost:" + port() + "/postgres";
            Path passwordFile = home.resolve("postgres.password");

            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() ->
                            DriverManager.getConnection(url, "postgres", "").close())
                    .as("no password")
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong")
                            .close())
                    .hasMessageContaining("password authentication failed");
            try (Connection connection = DriverManager.getConnection(url, "postgres", Files.readString(passwordFile))) {
                assertThat(connection.isValid(5)).isTrue();
            }
            assertThat(setting(database, "unix_socket_directories"))
                    .isEqualTo(home.resolve("postgres.socket").toString());
            assertThat(Files.getPosixFilePermissions(home.resolve("postgres.socket")))
                    .as("other local users cannot reach the socket")
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.readString(home.resolve("postgres/pg_hba.conf")))
                    .doesNotContainPattern("(?m)^[^#].*\\btrust\\s*$");
        }
    }

    @Test
    void aDataDirectoryMadeBeforePasswordsGetsOneOnItsNextStart() throws Exception {
        Path data = home.resolve("postgres");
        EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start()
                .close(); // trust

        try (Database database = Database.embedded(data, TestDatabase.OUTAGE_WINDOW)) {
            String url = "jdbc:postgresql://localhost:" + port() + "/postgres";

            assertThat(home.resolve("postgres.password")).exists();
            assertThatThrownBy(() ->
                            DriverManager.getConnection(url, "postgres", "").close())
                    .isInstanceOf(SQLException.class);
            assertThat(database.registry()
                            .runQueries()
                            .search(null, List.of(), 1, 0)
                            .runs())
                    .isEmpty();
        }
    }

    private int port() throws Exception {
        return Integer.parseInt(Files.readAllLines(home.resolve("postgres/postmaster.pid"))
                .get(3)
                .trim());
    }

    /** The server outlived the process that started it, as designed; a test must not leave it behind. */
    private void stopLeftoverServer() throws Exception {
        Path lockFile = home.resolve("postgres/postmaster.pid");
        if (Files.exists(lockFile)) {
            long pid = Long.parseLong(Files.readAllLines(lockFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy();
                process.onExit().join();
            });
        }
    }

    private static String setting(Database database, String name) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("show " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
