package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.caravan.data.Json;
import dev.caravan.testing.SeededRuns;
import dev.caravan.testing.TestDatabase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile query text: each input is either refused with an {@link IllegalArgumentException} that says why, or
 * read as an inert literal or key that matches nothing. Afterwards every table is there with its rows.
 */
class FilterInjectionTest {
    private static final List<String> TABLES = List.of(
            "pipeline_runs", "stage_runs", "run_metrics", "run_params", "run_tags", "model_versions", "artifacts");
    private static final String REFUSED = "refused";
    private static final String NOTHING = "nothing";

    private final TestDatabase db = TestDatabase.create();
    private final RunQueries search = db.registry().runQueries();

    @AfterEach
    void close() {
        db.close();
    }

    /** Each hostile filter, with what it must come to. */
    private static Map<String, String> filters() {
        Map<String, String> corpus = new LinkedHashMap<>();
        corpus.put("metrics.rmse < 1' OR '1'='1", REFUSED);
        corpus.put("metrics.rmse < 1 OR '1'='1'", REFUSED);
        corpus.put("params.optimizer = 'x'' OR ''1''=''1'", NOTHING);
        corpus.put("params.optimizer = 'x' OR 1=1", REFUSED);
        corpus.put("; drop table pipeline_runs; --", REFUSED);
        corpus.put("metrics.rmse < 1; drop table pipeline_runs; --", REFUSED);
        corpus.put("params.optimizer = 'adam'; delete from run_metrics", REFUSED);
        corpus.put("metrics.rmse < 1 -- comment", REFUSED);
        corpus.put("metrics.rmse < 1 /* comment */", REFUSED);
        corpus.put("params.optimizer = '/* */ adam -- '", NOTHING);
        corpus.put("params.optimizer = 'x'); drop table pipeline_runs; --'", REFUSED);
        corpus.put("params.optimizer = 'x''); drop table pipeline_runs; --'", NOTHING);
        corpus.put("params.optimizer = \u2018adam\u2019", REFUSED);
        corpus.put("params.optimizer = \u201cadam\u201d", REFUSED);
        corpus.put("params.optimizer = 'adam\\' OR 1=1 --'", REFUSED); // a backslash escapes nothing
        corpus.put("params.optimizer = 'adam\\'' OR 1=1 --'", NOTHING);
        corpus.put("params.optimizer = 'adam\\'", NOTHING);
        corpus.put("params.optimizer = E'\\x27 or 1=1'", REFUSED);
        corpus.put("params.optimizer = $$adam$$", REFUSED);
        corpus.put("params.\"a'b\" = 'x'", NOTHING);
        corpus.put("metrics.`rmse; drop table run_metrics; --` < 1", NOTHING);
        corpus.put("tags.`a`` or 1=1 --` = 'x'", NOTHING);
        corpus.put("colour = 'red'", REFUSED);
        corpus.put("pg_sleep(10) = 1", REFUSED);
        corpus.put("r.id = r.id", REFUSED);
        corpus.put("1 = 1", REFUSED);
        corpus.put("status = 'SUCCEEDED' UNION SELECT * FROM pipeline_runs", REFUSED);
        corpus.put("metrics.rmse < (select 1)", REFUSED);
        corpus.put("metrics.rmse < 1\u0000", REFUSED);
        corpus.put("x".repeat(10_001), REFUSED);
        corpus.put("(".repeat(5_000) + "metrics.rmse < 1" + ")".repeat(4_999), REFUSED);
        corpus.put("NOT ".repeat(2_000) + "metrics.rmse < 1", REFUSED);
        corpus.put("metrics.rmse < -1 or ".repeat(450) + "metrics.rmse < -1", NOTHING);
        return corpus;
    }

    @Test
    void hostileInputIsRefusedOrInertAndTheTablesStay() {
        new SeededRuns(db)
                .run(
                        "p",
                        "SUCCEEDED",
                        Instant.parse("2024-05-01T00:00:00Z"),
                        Map.of("rmse", 0.5),
                        Map.of("optimizer", "adam"),
                        Map.of("team", "ml"),
                        "m");
        Map<String, Long> before = rowCounts();

        filters().forEach((filter, expected) -> assertThat(outcome(
                        filter, f -> search.search(f, List.of(), 10, 0).runs().size()))
                .as(abbreviate(filter))
                .isEqualTo(expected));
        for (String order : List.of(
                "metrics.rmse; drop table run_metrics",
                "started_at DESC NULLS FIRST",
                "random()",
                "1",
                "(select 1)",
                "r.id",
                "metrics.rmse desc, --")) {
            assertThat(outcome(
                            order,
                            o -> search.search("", List.of(o), 10, 0).runs().size()))
                    .as(order)
                    .isEqualTo(REFUSED);
        }
        for (String aggregate : List.of(
                "pg_sleep(1)",
                "count(*); drop table run_metrics",
                "min(metrics.rmse) from pipeline_runs --",
                "max(status)",
                "count(1)",
                "sum(metrics.rmse")) {
            assertThat(outcome(aggregate, a -> search.aggregate("", List.of(), List.of(a))
                            .groups()
                            .size()))
                    .as(aggregate)
                    .isEqualTo(REFUSED);
        }
        assertThat(Json.tree(search.aggregate(
                                "", List.of("params.`a'b); drop table run_params; --`"), List.of("sum(params.`x'y`)")))
                        .get("groups"))
                .as("quoted keys are inert")
                .singleElement()
                .satisfies(group ->
                        assertThat(group.get("sum(params.`x'y`)").isNull()).isTrue());
        assertThat(rowCounts()).isEqualTo(before).containsEntry("run_metrics", 1L);
    }

    /** {@link #REFUSED} for a clear refusal, {@link #NOTHING} when the query ran and found nothing. */
    private static String outcome(String input, Function<String, Integer> query) {
        Throwable error = catchThrowable(() -> {
            int found = query.apply(input);
            if (found > 0) {
                throw new AssertionError(found + " results");
            }
        });
        if (error == null) {
            return NOTHING;
        }
        assertThat(error).as(abbreviate(input)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(error.getMessage()).doesNotContain("ERROR:", "SQL").hasSizeLessThan(400);
        return REFUSED;
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        TABLES.forEach(table -> counts.put(table, db.count("select count(*) from " + table)));
        return counts;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "... (" + text.length() + " characters)";
    }
}
