package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
        try (Database first = Database.open(Map.of(), home)) {
            new RunStore(first.dataSource()).startRun(run, "p", "test", "{}", "/tmp");
            assertThat(setting(first, "fsync")).isEqualTo("on");
            assertThat(setting(first, "synchronous_commit")).isEqualTo("on");
        }
        try (Database second = Database.open(Map.of(), home)) {
            assertThat(new RunStore(second.dataSource()).listRuns(10)).extracting(r -> r.id()).containsExactly(run);
        }
        assertThat(home.resolve("postgres/PG_VERSION")).exists();
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
