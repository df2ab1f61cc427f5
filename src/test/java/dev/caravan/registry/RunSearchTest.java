package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.Json;
import dev.caravan.testing.SeededRuns;
import dev.caravan.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registry queries on six runs, newest first: f (credit, running, nothing logged), e and d (credit, val_loss and
 * accuracy), c (house, failed, params only), b and a (house, rmse and val_loss).
 */
class RunSearchTest {
    private final TestDatabase db = TestDatabase.create();
    private final Answers search = new Answers(db.registry());
    private final SeededRuns seeded = new SeededRuns(db);
    private final UUID a = run(
            "house",
            "SUCCEEDED",
            1,
            Map.of("rmse", 0.30, "val_loss", 0.40),
            params("0.001", "adam", "64,32", "64"),
            Map.of("team", "ml"),
            "house-model");
    private final UUID b = run(
            "house",
            "SUCCEEDED",
            2,
            Map.of("rmse", 0.50, "val_loss", 0.45),
            params("0.01", "sgd", "128", "128"),
            Map.of("team", "ml"),
            "house-model");
    private final UUID c =
            run("house", "FAILED", 3, Map.of(), params("0.001", "adam", "64,32", "32"), Map.of("team", "data"), null);
    private final UUID d = run(
            "credit",
            "SUCCEEDED",
            4,
            Map.of("val_loss", 0.30, "accuracy", 0.91),
            params("1.0E-4", "adam", "64", "64"),
            Map.of("team", "ml", "env", "prod"),
            "credit-model");
    private final UUID e = run(
            "credit",
            "SUCCEEDED",
            5,
            Map.of("val_loss", 0.35, "accuracy", 0.85),
            params("0.001", "sgd", "64,32", "256"),
            Map.of(),
            "credit-model");
    private final UUID f = run("credit", "RUNNING", 6, Map.of(), Map.of(), Map.of(), null);

    /** The registry's search answers as the JSON that the CLI and the REST API print. */
    private record Answers(Registry registry) {
        JsonNode search(String filter, List<String> orderBy, int limit) {
            return Json.tree(registry.runQueries().search(filter, orderBy, limit, 0));
        }

        JsonNode aggregate(String filter, List<String> groupBy, List<String> aggregates) {
            return Json.tree(registry.runQueries().aggregate(filter, groupBy, aggregates));
        }

        Optional<JsonNode> bestVersion(String model, String metric, String direction) {
            return registry.models().bestVersion(model, metric, direction).map(Json::tree);
        }

        String explainSearch(String filter, List<String> orderBy, int limit) {
            return registry.runQueries().explainSearch(filter, orderBy, limit);
        }

        String explainBestVersion(String model, String metric, String direction) {
            return registry.models().explainBestVersion(model, metric, direction);
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private UUID run(
            String pipeline,
            String status,
            int day,
            Map<String, Double> metrics,
            Map<String, String> params,
            Map<String, String> tags,
            String model) {
        return seeded.run(
                pipeline,
                status,
                Instant.parse("2024-05-01T12:00:00Z").plusSeconds(86_400L * day),
                metrics,
                params,
                tags,
                model);
    }

    private static Map<String, String> params(String learningRate, String optimizer, String hidden, String batch) {
        return Map.of("learningRate", learningRate, "optimizer", optimizer, "hidden", hidden, "batchSize", batch);
    }

    private List<UUID> ids(String filter, String... orderBy) {
        List<UUID> ids = new ArrayList<>();
        search.search(filter, List.of(orderBy), 100)
                .get("runs")
                .forEach(run -> ids.add(UUID.fromString(run.get("runId").asText())));
        return ids;
    }

    @Test
    void metricsCompareAsNumbersAndRunsWithoutTheMetricNeverMatch() {
        assertThat(ids("metrics.rmse < 0.4")).containsExactly(a);
        assertThat(ids("metrics.rmse >= 0.3")).containsExactly(b, a);
        assertThat(ids("metrics.rmse != 0.3")).containsExactly(b);
        assertThat(ids("metrics.val_loss IN (0.3, 0.45)")).containsExactly(d, b);
        assertThat(ids("metrics.val_loss NOT IN (0.3, 0.45)")).containsExactly(e, a);
    }

    @Test
    void andBindsTighterThanOrAndParenthesesRegroup() {
        assertThat(ids("metrics.rmse < 0.4 OR metrics.accuracy > 0.9 AND pipeline = 'house'"))
                .containsExactly(a);
        assertThat(ids("metrics.rmse < 0.4 OR metrics.accuracy > 0.9 AND pipeline = 'credit'"))
                .containsExactly(d, a);
        assertThat(ids("(metrics.rmse < 0.4 OR metrics.accuracy > 0.9) AND pipeline = 'credit'"))
                .containsExactly(d);
    }

    @Test
    void notNegatesTheWholeConditionIncludingRunsThatLackTheField() {
        assertThat(ids("NOT params.optimizer = 'adam'")).containsExactly(f, e, b);
        assertThat(ids("params.optimizer NOT IN ('adam')")).containsExactly(e, b);
        assertThat(ids("NOT finished_at > '2000-01-01'")).containsExactly(f);
        assertThat(ids("NOT (metrics.rmse > 0 OR metrics.accuracy > 0)")).containsExactly(f, c);
    }

    @Test
    void paramsAndTagsCompareAsTextOrByTheirNumericValue() {
        assertThat(ids("params.optimizer IN ('sgd')")).containsExactly(e, b);
        assertThat(ids("params.learningRate = '0.001'")).containsExactly(e, c, a);
        assertThat(ids("params.learningRate = 0.001")).containsExactly(e, c, a);
        assertThat(ids("params.learningRate < 0.001"))
                .as("1.0E-4 read as a number")
                .containsExactly(d);
        assertThat(ids("params.batchSize IN (64, 128)")).containsExactly(d, b, a);
        assertThat(ids("params.batchSize > '5'"))
                .as("as text, only '64' sorts after '5'")
                .containsExactly(d, a);
        assertThat(ids("params.batchSize > 5")).containsExactly(e, d, c, b, a);
        assertThat(ids("tags.team = 'ml' AND tags.env = 'prod'")).containsExactly(d);
        assertThat(ids("tags.`team` = \"data\"")).containsExactly(c);
    }

    @Test
    void theNumericReadingOfAParamNeverFailsOnOddText() {
        UUID odd = run("odd", "SUCCEEDED", 7, Map.of(), Map.of("learningRate", "1e999"), Map.of(), null);
        for (String text : List.of("abc", "1..2", "1e", "-", "1e-999", "9".repeat(200), "NaN", "Infinity")) {
            run("odd", "SUCCEEDED", 0, Map.of(), Map.of("learningRate", text), Map.of(), null);
        }

        assertThat(ids("params.learningRate > 1 AND pipeline = 'odd'")).containsExactly(odd);
        assertThat(ids("pipeline = 'odd'", "params.learningRate DESC"))
                .hasSize(9)
                .startsWith(odd);
    }

    @Test
    void likeMatchesTextPatterns() {
        assertThat(ids("params.hidden LIKE '64%'")).containsExactly(e, d, c, a);
        assertThat(ids("params.hidden NOT LIKE '%,%'")).containsExactly(d, b);
        assertThat(ids("pipeline LIKE 'cre%'")).containsExactly(f, e, d);
        assertThat(ids("run_id LIKE '" + a.toString().substring(0, 8) + "%'")).containsExactly(a);
    }

    @Test
    void attributesFilterRuns() {
        assertThat(ids("status = 'failed'")).containsExactly(c);
        assertThat(ids("attributes.status IN ('RUNNING', 'FAILED')")).containsExactly(f, c);
        assertThat(ids("started_at >= '2024-05-06' AND trigger = 'test'")).containsExactly(f, e);
        assertThat(ids("started_at < '2024-05-03T15:00:00+02:00'")).containsExactly(b, a);
        assertThat(ids("failed_stage = 'train'")).containsExactly(c);
        assertThat(ids("run_id = '" + a + "' OR run_id IN ('" + b + "')")).containsExactly(b, a);
        assertThat(ids("run_id != '" + a + "'")).containsExactly(f, e, d, c, b);
    }

    @Test
    void ordersByFieldsWithRunsLackingThemLast() {
        assertThat(ids("", "metrics.val_loss ASC")).containsExactly(d, e, a, b, f, c);
        assertThat(ids("", "metrics.val_loss DESC")).containsExactly(b, a, e, d, f, c);
        assertThat(ids("", "pipeline, metrics.val_loss desc")).containsExactly(e, d, f, b, a, c);
        assertThat(ids("", "pipeline", "metrics.val_loss desc")).isEqualTo(ids("", "pipeline, metrics.val_loss desc"));
        assertThat(ids("", "params.learningRate"))
                .as("1.0E-4 < 0.001 (newest first) < 0.01, then none")
                .containsExactly(d, e, c, a, b, f);
        assertThat(ids("")).as("newest first").containsExactly(f, e, d, c, b, a);
        assertThat(search.search(null, null, 1).get("runs").get(0).get("runId").asText())
                .isEqualTo(f.toString());
    }

    @Test
    void theLimitCapsTheRuns() {
        assertThat(search.search("", List.of(), 2).get("runs")).hasSize(2);
        assertThatThrownBy(() -> search.search("", List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be 1 to 10000, not 0");
        assertThatThrownBy(() -> search.search("", List.of(), 10_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachRunCarriesItsMetricsParamsAndTags() {
        JsonNode run =
                search.search("run_id = '" + d + "'", List.of(), 1).get("runs").get(0);

        assertThat(run.get("pipeline").asText()).isEqualTo("credit");
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("trigger").asText()).isEqualTo("test");
        assertThat(run.get("startedAt").asText()).isEqualTo("2024-05-05T12:00:00Z");
        assertThat(run.get("finishedAt").isTextual()).isTrue();
        assertThat(run.get("failedStage").isNull()).isTrue();
        assertThat(run.get("metrics").toString()).isEqualTo("{\"accuracy\":0.91,\"val_loss\":0.3}");
        assertThat(run.get("params").get("learningRate").asText()).isEqualTo("1.0E-4");
        assertThat(run.get("tags").toString()).isEqualTo("{\"env\":\"prod\",\"team\":\"ml\"}");
    }

    @Test
    void aggregatesGroupRunsByAField() {
        JsonNode result = search.aggregate(
                "",
                List.of("params.optimizer"),
                List.of(
                        "count(*)",
                        "min(metrics.val_loss)",
                        "avg(metrics.val_loss)",
                        "max(params.batchSize)",
                        "count(metrics.rmse)"));

        assertThat(result.get("groups")).hasSize(3);
        JsonNode adam = result.get("groups").get(0);
        assertThat(adam.get("group").toString()).isEqualTo("{\"params.optimizer\":\"adam\"}");
        assertThat(adam.get("count(*)").asLong()).isEqualTo(3);
        assertThat(adam.get("min(metrics.val_loss)").asDouble()).isEqualTo(0.30);
        assertThat(adam.get("avg(metrics.val_loss)").asDouble()).isCloseTo(0.35, offset(1e-12));
        assertThat(adam.get("max(params.batchSize)").asDouble()).isEqualTo(64);
        assertThat(adam.get("count(metrics.rmse)").asLong()).isEqualTo(1);
        assertThat(result.get("groups")
                        .get(1)
                        .get("group")
                        .get("params.optimizer")
                        .asText())
                .isEqualTo("sgd");
        JsonNode none = result.get("groups").get(2);
        assertThat(none.get("group").get("params.optimizer").isNull())
                .as("f logged no params")
                .isTrue();
        assertThat(none.get("min(metrics.val_loss)").isNull()).isTrue();
    }

    @Test
    void aggregatesWithoutGroupsCoverEveryMatchingRun() {
        JsonNode all = search.aggregate("status = 'SUCCEEDED'", null, null);
        assertThat(all.toString()).isEqualTo("{\"groups\":[{\"group\":{},\"count(*)\":4}]}");

        JsonNode byPipeline = search.aggregate(
                "metrics.val_loss < 1", List.of("pipeline", "tags.team"), List.of("SUM(metrics.val_loss)"));
        assertThat(byPipeline.get("groups"))
                .extracting(g -> g.get("group").toString())
                .containsExactly(
                        "{\"pipeline\":\"credit\",\"tags.team\":\"ml\"}",
                        "{\"pipeline\":\"credit\",\"tags.team\":null}",
                        "{\"pipeline\":\"house\",\"tags.team\":\"ml\"}");
        assertThat(byPipeline.get("groups").get(2).get("sum(metrics.val_loss)").asDouble())
                .isCloseTo(0.85, offset(1e-12));
    }

    @Test
    void theBestVersionIsChosenByItsRunsMetric() {
        JsonNode lowest =
                search.bestVersion("credit-model", "val_loss", "lower").orElseThrow();
        assertThat(lowest.get("version").asInt()).isEqualTo(1);
        assertThat(lowest.get("runId").asText()).isEqualTo(d.toString());
        assertThat(lowest.get("value").asDouble()).isEqualTo(0.30);

        JsonNode highest =
                search.bestVersion("credit-model", "metrics.val_loss", "HIGHER").orElseThrow();
        assertThat(highest.get("version").asInt()).isEqualTo(2);
        assertThat(highest.get("runId").asText()).isEqualTo(e.toString());
        assertThat(search.bestVersion("credit-model", "rmse", "lower")).isEmpty();
        assertThat(search.bestVersion("no-such-model", "val_loss", "lower")).isEmpty();
        assertThat(search.bestVersion("credit-model", "val.loss", "lower"))
                .as("a key with a dot")
                .isEmpty();
        assertThatThrownBy(() -> search.bestVersion("credit-model", "val_loss", "best"))
                .hasMessage("direction is 'lower' or 'higher', not 'best'");
        assertThatThrownBy(() -> search.bestVersion("credit-model", "params.batchSize", "lower"))
                .hasMessage("the best version is chosen by a metric, not params.batchSize");
    }

    @Test
    void pagesFollowEachOtherUntilTheLastSaysThereIsNoMore() {
        RunQueries queries = db.registry().runQueries();
        List<UUID> seen = new ArrayList<>();
        Integer next = 0;
        int pages = 0;
        while (next != null) {
            var page = queries.search("", List.of(), 4, next);
            page.runs().forEach(run -> seen.add(run.runId()));
            next = page.nextOffset();
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly(f, e, d, c, b, a);
        assertThat(queries.search("", List.of(), 6, 0).nextOffset())
                .as("exactly one page")
                .isNull();
        assertThatThrownBy(() -> queries.search("", List.of(), 4, -1))
                .hasMessage("offset must be 0 to 2147483643, not -1");
    }

    @Test
    void nonFiniteMetricsAreStoredAndFoundOnlyByName() {
        UUID diverged = run(
                "house",
                "SUCCEEDED",
                7,
                Map.of("val_loss", Double.NaN, "rmse", Double.POSITIVE_INFINITY),
                Map.of(),
                Map.of(),
                "house-model");

        assertThat(db.count("select count(*) from run_metrics where run_id = '" + diverged + "' and not finite"))
                .isEqualTo(2);
        assertThat(ids("metrics.val_loss = 'NaN'")).containsExactly(diverged);
        assertThat(ids("metrics.rmse = 'Infinity' OR metrics.rmse = '-Infinity'"))
                .containsExactly(diverged);
        assertThat(ids("metrics.val_loss > 0.1"))
                .as("comparisons see finite values only")
                .doesNotContain(diverged);
        assertThat(ids("metrics.rmse > 0.1")).doesNotContain(diverged);
        JsonNode run = search.search("run_id = '" + diverged + "'", List.of(), 1)
                .get("runs")
                .get(0);
        assertThat(run.get("metrics").get("val_loss").asText()).isEqualTo("NaN");
        assertThat(search.bestVersion("house-model", "rmse", "higher")
                        .orElseThrow()
                        .get("runId")
                        .asText())
                .as("the best version is the best finite one")
                .isEqualTo(b.toString());
        JsonNode all = search.aggregate("pipeline = 'house'", null, List.of("max(metrics.rmse)", "count(metrics.rmse)"))
                .get("groups")
                .get(0);
        assertThat(all.get("max(metrics.rmse)").asDouble()).isEqualTo(0.50);
        assertThat(all.get("count(metrics.rmse)").asInt()).isEqualTo(3);
    }

    @Test
    void explainShowsTheExecutedPlan() {
        assertThat(search.explainSearch("metrics.rmse < 0.4 OR params.optimizer = 'sgd'", List.of(), 10))
                .contains("Execution Time");
        assertThat(search.explainBestVersion("credit-model", "val_loss", "lower"))
                .contains("Execution Time");
    }
}
