package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.Await;
import dev.caravan.testing.CaravanProcess;
import dev.caravan.testing.TestDatabase;
import dev.caravan.testing.TinyPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code caravan server} processes on one database fire the same every-second schedule of a pipeline whose run
 * takes longer than a second: the pipeline's advisory lock lets one run go at a time, across the processes.
 */
class ServerProcessesTest {
    private static final String PIPELINE = "every-second";
    private static final Duration DEADLINE = Duration.ofMinutes(4); // only stops a hung test: the machine may be slow

    @TempDir
    Path dir;

    /** A server JVM on target/classes and the runtime jars Maven listed; its output goes to a file. */
    private record ServerProcess(Process process, Path log) {
        static ServerProcess start(Path home, TestDatabase db, Path spec) throws IOException {
            Files.createDirectories(home);
            Path log = home.resolve("server.log");
            return new ServerProcess(
                    CaravanProcess.start(
                            db.environment(home), log, "server", "--pipeline", spec.toString(), "--port", "0"),
                    log);
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        boolean listening() {
            assertThat(process.isAlive())
                    .as("server died at start:%n%s", output())
                    .isTrue();
            return output().contains("API on http");
        }

        /** SIGTERM, as a container stop sends: the server lets its run finish, then exits cleanly. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .as("server exits after SIGTERM")
                    .isTrue();
            assertThat(process.exitValue()).as("exit code after SIGTERM").isZero();
        }
    }

    private record Run(Timestamp started, Timestamp finished, String status) {}

    @Test
    void twoServersOnOneDatabaseNeverOverlapRunsOfOnePipeline() throws Exception {
        Path spec = TinyPipeline.write(dir, PIPELINE, "schedule: \"* * * * * ?\"");
        List<ServerProcess> servers = new ArrayList<>();
        try (TestDatabase db = TestDatabase.create()) {
            try {
                servers.add(ServerProcess.start(dir.resolve("home-a"), db, spec));
                servers.add(ServerProcess.start(dir.resolve("home-b"), db, spec));
                for (ServerProcess server : servers) {
                    Await.until("the server to listen", DEADLINE, server::listening);
                }
                Await.until(
                        "two finished runs, a busy firing, events from both servers and a run going",
                        DEADLINE,
                        () -> db.count("select count(*) from pipeline_runs where finished_at is not null") >= 2
                                && db.count("select count(*) from schedule_events where outcome = 'SKIPPED_BUSY'") > 0
                                && db.count("select count(distinct server) from schedule_events") == 2
                                && db.count("select count(*) from pipeline_runs where status = 'RUNNING'") == 1);
                for (ServerProcess server : servers) {
                    server.stop();
                }

                List<Run> runs = runs(db);
                assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
                assertThat(runs)
                        .extracting(Run::status)
                        .as("SIGTERM let the running run finish")
                        .containsOnly("SUCCEEDED");
                for (int i = 1; i < runs.size(); i++) {
                    assertThat(runs.get(i).started())
                            .as("run %d starts after run %d finished", i, i - 1)
                            .isAfterOrEqualTo(runs.get(i - 1).finished());
                }
                assertThat(db.count("select count(*) from schedule_events where outcome = 'STARTED'"
                                + " and run_id in (select id from pipeline_runs)"))
                        .isEqualTo(runs.size());
                assertThat(db.count("select count(*) from schedule_events where outcome = 'SKIPPED_BUSY'"
                                + " and run_id is null"))
                        .isPositive();
            } catch (Throwable failure) {
                servers.forEach(server -> System.err.printf("--- %s%n%s%n", server.log(), server.output()));
                throw failure;
            } finally {
                servers.forEach(server -> server.process().destroyForcibly());
            }
        }
    }

    private static List<Run> runs(TestDatabase db) throws SQLException {
        try (Connection connection = db.database().dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select started_at, finished_at, status from pipeline_runs"
                        + " where pipeline = '" + PIPELINE + "' order by started_at")) {
            List<Run> runs = new ArrayList<>();
            while (rows.next()) {
                runs.add(new Run(rows.getTimestamp(1), rows.getTimestamp(2), rows.getString(3)));
            }
            return runs;
        }
    }
}
