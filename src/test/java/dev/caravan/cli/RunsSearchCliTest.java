package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.SeededRuns;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code caravan runs search} on three seeded runs, as tables and as JSON. */
class RunsSearchCliTest extends CliTestBase {
    private UUID adam;
    private UUID sgd;
    private UUID failed;

    @BeforeEach
    void seed() {
        SeededRuns seeded = new SeededRuns(db);
        adam = seeded.run(
                "house",
                "SUCCEEDED",
                Instant.parse("2024-05-01T00:00:00Z"),
                Map.of("rmse", 0.312345678, "val_loss", 0.4),
                Map.of("optimizer", "adam"),
                Map.of(),
                null);
        sgd = seeded.run(
                "house",
                "SUCCEEDED",
                Instant.parse("2024-05-02T00:00:00Z"),
                Map.of("rmse", 0.5, "val_loss", 0.45),
                Map.of("optimizer", "sgd"),
                Map.of(),
                null);
        failed = seeded.run(
                "house",
                "FAILED",
                Instant.parse("2024-05-03T00:00:00Z"),
                Map.of(),
                Map.of("optimizer", "adam"),
                Map.of(),
                null);
    }

    @Test
    void printsTheMatchingRunsAsATableWithAColumnPerMetric() {
        CliRunner.Result result = cli.run(
                "runs",
                "search",
                "--filter",
                "metrics.rmse < 1 OR status = 'FAILED'",
                "--order-by",
                "metrics.rmse DESC");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines()).hasSize(4);
        assertThat(result.out().lines().findFirst().orElseThrow())
                .matches("RUN ID +PIPELINE +STATUS +STARTED +rmse +val_loss");
        assertThat(result.out())
                .containsSubsequence(sgd.toString(), adam.toString(), failed.toString())
                .contains("0.312346", "0.45", "FAILED");
    }

    @Test
    void jsonIsOneObjectWithTheRuns() {
        CliRunner.Result result =
                cli.run("runs", "search", "--filter", "params.optimizer = 'adam'", "--limit", "1", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode runs = result.json().get("runs");
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.get("runId").asText()).isEqualTo(failed.toString());
            assertThat(run.get("params").get("optimizer").asText()).isEqualTo("adam");
        });
    }

    @Test
    void groupsRunsWithAggregates() {
        CliRunner.Result text = cli.run(
                "runs",
                "search",
                "--group-by",
                "params.optimizer",
                "--agg",
                "count(*)",
                "--agg",
                "min(metrics.val_loss)");
        CliRunner.Result json = cli.run(
                "runs",
                "search",
                "--group-by",
                "params.optimizer",
                "--agg",
                "count(*)",
                "--agg",
                "min(metrics.val_loss)",
                "--json");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines())
                .containsExactly(
                        "params.optimizer  count(*)  min(metrics.val_loss)",
                        "adam                     2                    0.4",
                        "sgd                      1                   0.45");
        assertThat(json.json().get("groups").get(0).toString())
                .isEqualTo("{\"group\":{\"params.optimizer\":\"adam\"},\"count(*)\":2,\"min(metrics.val_loss)\":0.4}");
    }

    @Test
    void aDivergedRunPrintsItsNaNAndComesLastWhicheverTheOrder() {
        UUID diverged = new SeededRuns(db)
                .run(
                        "house",
                        "SUCCEEDED",
                        Instant.parse("2024-05-04T00:00:00Z"),
                        Map.of("rmse", Double.NaN, "val_loss", Double.POSITIVE_INFINITY),
                        Map.of("optimizer", "adam"),
                        Map.of(),
                        null);

        for (String direction : new String[] {"ASC", "DESC"}) {
            CliRunner.Result result = cli.run(
                    "runs", "search", "--filter", "status = 'SUCCEEDED'", "--order-by", "metrics.rmse " + direction);
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out().lines().toList())
                    .last()
                    .asString()
                    .contains(diverged.toString(), "NaN", "Infinity");
        }
        CliRunner.Result groups = cli.run("runs", "search", "--group-by", "metrics.rmse", "--agg", "count(*)");
        assertThat(groups.exitCode()).as(groups.err()).isZero();
        assertThat(groups.out()).contains("NaN");
    }

    @Test
    void aBadFilterIsAUsageErrorWithoutAStackTrace() {
        CliRunner.Result result = cli.run("runs", "search", "--filter", "colour = 'red'", "--json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip())
                .isEqualTo("error: unknown field 'colour' at position 1: use metrics.KEY,"
                        + " params.KEY, tags.KEY or one of status, pipeline, trigger, run_id, started_at, finished_at,"
                        + " failed_stage");
    }

    @Test
    void badOrderKeysAndAggregatesAreUsageErrorsToo() {
        assertThat(cli.run("runs", "search", "--agg", "median(metrics.rmse)")
                        .err()
                        .strip())
                .isEqualTo("error: unknown function 'median' at position 1: use count, min, max, avg or sum");
        CliRunner.Result order = cli.run("runs", "search", "--order-by", "metrics.rmse; drop table run_metrics");
        assertThat(order.exitCode()).isEqualTo(2);
        assertThat(order.err())
                .startsWith("error: unexpected character ';' at position 13")
                .doesNotContain("\tat ");
        assertThat(db.count("select count(*) from run_metrics")).isEqualTo(4);
    }
}
