package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Migrations applied to rows written under an older schema. */
class MigrationTest {
    private static final String RUN = "00000000-0000-0000-0000-000000000001";

    @Test
    void aDatasetOfAResumedRunBelongsToTheIngestAttemptThatSucceeded() throws SQLException {
        String url = TestDatabase.createEmpty();
        Flyway.configure()
                .dataSource(url, "postgres", "")
                .locations("classpath:db/migration")
                .target("7")
                .load()
                .migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("insert into pipeline_runs (id, pipeline, trigger, status, config, artifact_dir)"
                    + " values ('" + RUN + "', 'p', 'test', 'SUCCEEDED', '{}', '/tmp')");
            statement.execute("insert into stage_runs (run_id, stage, attempt, status, error) values ('" + RUN
                    + "', 'ingest', 1, 'FAILED', 'disk full'), ('" + RUN + "', 'ingest', 2, 'SUCCEEDED', null)");
            statement.execute("insert into datasets (run_id, source, sha256, bytes, row_count, column_count, schema,"
                    + " column_stats) values ('" + RUN + "', 'data.csv', '" + "a".repeat(64) + "', 10, 2, 1,"
                    + " '{}', '{}')");
        }

        try (TestDatabase db = TestDatabase.open(url)) {
            assertThat(db.count("select d.stage_run_id from datasets d"))
                    .isEqualTo(db.count("select id from stage_runs where attempt = 2"));
        }
    }
}
