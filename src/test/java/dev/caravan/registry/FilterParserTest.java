package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.registry.Field.Kind;
import dev.caravan.registry.Filter.And;
import dev.caravan.registry.Filter.Comparison;
import dev.caravan.registry.Filter.Not;
import dev.caravan.registry.Filter.Operator;
import dev.caravan.registry.Filter.Or;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterParserTest {
    private static final Comparison RMSE = metric("rmse", Operator.LT, 0.5);
    private static final Comparison ADAM =
            new Comparison(new Field(Kind.PARAM, "optimizer"), Operator.EQ, List.of("adam"));
    private static final Comparison PROD = new Comparison(new Field(Kind.TAG, "env"), Operator.EQ, List.of("prod"));

    private static Comparison metric(String key, Operator operator, Double... values) {
        return new Comparison(new Field(Kind.METRIC, key), operator, List.of(values));
    }

    @Test
    void andBindsTighterThanOr() {
        assertThat(FilterParser.filter("metrics.rmse < 0.5 OR params.optimizer = 'adam' AND tags.env = 'prod'"))
                .isEqualTo(new Or(List.of(RMSE, new And(List.of(ADAM, PROD)))));
        assertThat(FilterParser.filter("metrics.rmse < 0.5 and params.optimizer = 'adam' or tags.env = 'prod'"))
                .isEqualTo(new Or(List.of(new And(List.of(RMSE, ADAM)), PROD)));
    }

    @Test
    void parenthesesAndNotGroup() {
        assertThat(FilterParser.filter("(metrics.rmse < 0.5 OR params.optimizer = 'adam') AND tags.env = 'prod'"))
                .isEqualTo(new And(List.of(new Or(List.of(RMSE, ADAM)), PROD)));
        assertThat(FilterParser.filter("NOT metrics.rmse < 0.5 AND tags.env = 'prod'"))
                .isEqualTo(new And(List.of(new Not(RMSE), PROD)));
        assertThat(FilterParser.filter("not (metrics.rmse < 0.5 or tags.env = 'prod')"))
                .isEqualTo(new Not(new Or(List.of(RMSE, PROD))));
    }

    @Test
    void keywordsAndPrefixesIgnoreCase() {
        assertThat(FilterParser.filter("METRICS.rmse < 0.5 Or Params.optimizer = 'adam'"))
                .isEqualTo(new Or(List.of(RMSE, ADAM)));
        assertThat(FilterParser.filter("metric.rmse < .5")).isEqualTo(RMSE);
        assertThat(FilterParser.filter("Status = 'succeeded'"))
                .isEqualTo(new Comparison(Field.attribute(RunAttribute.STATUS), Operator.EQ, List.of("SUCCEEDED")));
        assertThat(FilterParser.filter("attributes.pipeline = 'credit'"))
                .isEqualTo(new Comparison(Field.attribute(RunAttribute.PIPELINE), Operator.EQ, List.of("credit")));
    }

    @Test
    void inListsLikeAndNegations() {
        assertThat(FilterParser.filter("metrics.best_epoch in (1, 2.5e1, -3)"))
                .isEqualTo(metric("best_epoch", Operator.IN, 1.0, 25.0, -3.0));
        assertThat(FilterParser.filter("params.hidden NOT IN ('64,32', \"128\")"))
                .isEqualTo(new Comparison(new Field(Kind.PARAM, "hidden"), Operator.NOT_IN, List.of("64,32", "128")));
        assertThat(FilterParser.filter("tags.team not like 'ml%'"))
                .isEqualTo(new Comparison(new Field(Kind.TAG, "team"), Operator.NOT_LIKE, List.of("ml%")));
        assertThat(FilterParser.filter("metrics.rmse != 1"))
                .isEqualTo(FilterParser.filter("metrics.rmse <> 1"))
                .isEqualTo(metric("rmse", Operator.NE, 1.0));
    }

    @Test
    void quotesEscapeByDoublingAndQuotedKeysTakeAnyText() {
        assertThat(FilterParser.filter("params.note = 'it''s \\ \"fine\"'"))
                .isEqualTo(new Comparison(new Field(Kind.PARAM, "note"), Operator.EQ, List.of("it's \\ \"fine\"")));
        assertThat(FilterParser.filter("metrics.`my key` > 1")).isEqualTo(metric("my key", Operator.GT, 1.0));
        assertThat(FilterParser.filter("params.\"a'b\" = 'x'"))
                .isEqualTo(new Comparison(new Field(Kind.PARAM, "a'b"), Operator.EQ, List.of("x")));
        assertThat(FilterParser.filter("tags.my-tag.v2 = 'x'"))
                .isEqualTo(new Comparison(new Field(Kind.TAG, "my-tag.v2"), Operator.EQ, List.of("x")));
    }

    @Test
    void fieldsAndAggregatesHaveOneSpelling() {
        assertThat(new Field(Kind.METRIC, "my `key`").toString()).isEqualTo("metrics.`my ``key```");
        assertThat(FilterParser.field("metrics.`my ``key```")).isEqualTo(new Field(Kind.METRIC, "my `key`"));
        assertThat(FilterParser.aggregate(" MIN( Metrics.val_loss ) ").toString())
                .isEqualTo("min(metrics.val_loss)");
        assertThat(FilterParser.aggregate("count(*)").toString()).isEqualTo("count(*)");
        assertThat(FilterParser.orderBy("metrics.rmse, attributes.started_at desc"))
                .containsExactly(
                        new OrderKey(new Field(Kind.METRIC, "rmse"), false),
                        new OrderKey(Field.attribute(RunAttribute.STARTED_AT), true));
    }

    @Test
    void aBlankFilterMatchesEverything() {
        assertThat(FilterParser.filter("  ")).isEqualTo(Filter.ALL);
        assertThat(FilterParser.filter(null)).isEqualTo(Filter.ALL);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "colour = 'red' | unknown field 'colour' at position 1: use metrics.KEY, params.KEY, tags.KEY or one of"
                        + " status, pipeline, trigger, run_id, started_at, finished_at, failed_stage",
                "metrics.rmse < 'low' | metrics.rmse compares numbers, but 'low' at position 16 is a string",
                "metrics.rmse < | expected a value (a number or a quoted string), got the end",
                "status = SUCCEEDED | expected a value (a number or a quoted string), got 'SUCCEEDED' at position 10:"
                        + " quote text",
                "status = 1 | status compares text, but '1' at position 10 is a number: quote it",
                "status = 'DONE' | status is RUNNING, SUCCEEDED or FAILED, not 'DONE' at position 10",
                "(metrics.rmse < 1 | expected ')', got the end",
                "metrics.rmse < 1 metrics.mae < 2 | expected AND, OR or the end, got 'metrics.mae' at position 18",
                "metrics.rmse LIKE '1%' | metrics.rmse is a number: LIKE compares text",
                "metrics.rmse NOT BETWEEN 1 | expected IN or LIKE after NOT, got 'BETWEEN' at position 18",
                "metrics.rmse ~ 1 | unexpected character '~' at position 14",
                "metrics.rmse < 1e999 | '1e999' at position 16 is out of range",
                "metrics. = 1 | field 'metrics.' at position 1 needs a key, e.g. metrics.rmse or metrics.`my key`",
                "started_at > 'yesterday' | 'yesterday' at position 14 is not a time: use ISO-8601, e.g. 2024-05-01 or"
                        + " 2024-05-01T12:00:00Z",
                "started_at LIKE '2024%' | started_at is a time: LIKE compares text",
                "run_id = 'abc' | 'abc' at position 10 is not a run id: use the whole id, or run_id LIKE 'prefix%'",
                "run_id < 'abc' | run_id takes =, !=, IN or LIKE",
                "params.x = 'open | unterminated ' quote starting at position 12",
                "params.x IN () | expected a value (a number or a quoted string), got ')' at position 14",
            })
    void errorsNameThePositionAndTheOffendingText(String filter, String message) {
        assertThatThrownBy(() -> FilterParser.filter(filter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void timesAreIsoAndUtcWithoutAnOffset() {
        assertThat(FilterParser.filter("started_at >= '2024-05-01'"))
                .isEqualTo(FilterParser.filter("started_at >= '2024-05-01T00:00:00Z'"))
                .isEqualTo(FilterParser.filter("started_at >= '2024-05-01 02:00:00+02:00'"));
    }

    @Test
    void inputIsBoundedInLengthAndDepth() {
        assertThatThrownBy(() -> FilterParser.filter("(".repeat(40) + "metrics.rmse < 1" + ")".repeat(40)))
                .hasMessage("filter nests deeper than 32 levels at position 33");
        assertThatThrownBy(() -> FilterParser.filter("metrics.rmse < 1 or ".repeat(600) + "metrics.rmse < 1"))
                .hasMessageStartingWith("filter is too long: 12016 characters, at most 10000");
        assertThatThrownBy(() -> FilterParser.aggregate("median(metrics.rmse)"))
                .hasMessage("unknown function 'median' at position 1: use count, min, max, avg or sum");
        assertThatThrownBy(() -> FilterParser.aggregate("min(status)"))
                .hasMessage("min() takes metrics.KEY, params.KEY or tags.KEY, not status");
    }
}
