package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compiled filters stay within reach of their indexes: a change to the SQL (or to V7's expression) that the planner
 * can no longer serve from the index fails here. Sequential scans are off, so the plan shows what an index can do.
 */
class FilterSqlPlanTest {
    private final TestDatabase db = TestDatabase.create();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void metricComparisonsUseTheKeyValueIndex() {
        assertThat(plan("metrics.rmse < 0.3 OR metrics.accuracy IN (0.5, 0.6)"))
                .contains("Index Cond: ((key = 'rmse'::text) AND (value < '0.3'::double precision))")
                .contains("run_metrics_key_value_idx");
    }

    @Test
    void paramsComparedAsTextUseTheKeyValueIndex() {
        assertThat(plan("params.optimizer = 'adam'"))
                .contains("run_params_key_value_idx")
                .contains("Index Cond: ((key = 'optimizer'::text) AND (value = 'adam'::text))");
    }

    @Test
    void paramsComparedWithNumbersUseTheNumericIndexOfV7() {
        assertThat(plan("params.learningRate < 0.01"))
                .contains("run_params_key_numeric_idx")
                .contains("Index Cond: ((key = 'learningRate'::text) AND (CASE WHEN ((length(value) <= 100)");
    }

    private String plan(String filter) {
        Sql query = new Sql()
                .add("explain select r.id from pipeline_runs r where ")
                .add(FilterSql.condition(FilterParser.filter(filter)));
        return db.database().jdbc().read(tx -> {
            tx.update("set local enable_seqscan = off");
            return String.join("\n", tx.list(query, row -> row.getString(1)));
        });
    }
}
