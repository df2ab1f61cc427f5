package dev.caravan.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What registry queries search, for bench/registry.sh and benchmarks of the REST API: runs of pipeline
 * {@value #PIPELINE} (every tenth FAILED), each with metrics rmse, val_loss and accuracy (seeded random), params
 * learningRate, batchSize and hidden, tag team, and a select stage whose artifact is a version of model
 * {@value #MODEL}: one model with as many versions as runs. Bulk SQL: seconds for 10,000 runs.
 */
public final class RegistryBenchData {
    public static final String PIPELINE = "bench";
    public static final String MODEL = "bench-model";

    private static final String BENCH_RUNS = " from pipeline_runs r where r.pipeline = '" + PIPELINE + "'";
    private static final String[] STATEMENTS = {
        "select setseed(0.42)",
        "insert into pipeline_runs (id, pipeline, trigger, status, config, artifact_dir, started_at, finished_at)"
                + " select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '" + PIPELINE + "', 'bench',"
                + " case when i % 10 = 0 then 'FAILED' else 'SUCCEEDED' end, '{}', '/tmp/bench/' || i,"
                + " timestamptz '2024-01-01' + i * interval '1 minute', timestamptz '2024-01-01' + i * interval '1 minute'"
                + " + interval '30 seconds' from generate_series(1, ?) i",
        "insert into run_metrics (run_id, key, value) select r.id, key, case key when 'rmse' then 0.2 + random() * 0.8"
                + " when 'val_loss' then 0.1 + random() else 0.5 + random() * 0.5 end"
                + " from pipeline_runs r, unnest(array['rmse', 'val_loss', 'accuracy']) key"
                + " where r.pipeline = '" + PIPELINE + "'",
        "insert into run_params (run_id, key, value) select r.id, p.key, p.choices[1 + r.n / p.step % 4]"
                + " from (select r.id, row_number() over (order by r.started_at) n" + BENCH_RUNS + ") r,"
                + " (values ('learningRate', array['0.1', '0.01', '0.001', '1.0E-4'], 1),"
                + " ('batchSize', array['32', '64', '128', '256'], 4),"
                + " ('hidden', array['64', '64,32', '128,64', '256,128,64'], 16)) p (key, choices, step)",
        "insert into run_tags (run_id, key, value) select r.id, 'team',"
                + " case when random() < 0.5 then 'ml' else 'data' end" + BENCH_RUNS,
        "insert into stage_runs (run_id, stage, status) select r.id, 'select', 'SUCCEEDED'" + BENCH_RUNS,
        "insert into artifacts (run_id, stage_run_id, kind, path, sha256, bytes) select s.run_id, s.id, 'model',"
                + " '/tmp/bench/model.params', repeat('a', 64), 1 from stage_runs s join pipeline_runs r on r.id = s.run_id"
                + " where r.pipeline = '" + PIPELINE + "'",
        "insert into models (name) values ('" + MODEL + "')",
        "insert into model_versions (model_name, version, run_id, stage_run_id, candidate, dataset_sha256,"
                + " transform_artifact_id, params_artifact_id, metrics, baseline, params, best_epoch, stopped_epoch,"
                + " stop_reason, device) select '" + MODEL + "', row_number() over (order by a.id), a.run_id,"
                + " a.stage_run_id, 0, repeat('a', 64), a.id, a.id, '{}', '{}', '{}', 1, 1, 'patience exhausted', 'cpu'"
                + " from artifacts a join pipeline_runs r on r.id = a.run_id where r.pipeline = '" + PIPELINE + "'",
    };

    private RegistryBenchData() {}

    /**
     * Seeds {@code runs} runs and model versions into a migrated database that has no {@value #PIPELINE} runs
     * yet, in one transaction, then vacuums and analyzes, as autovacuum would soon after on a live database (the
     * visibility map lets scans skip per-row visibility checks; the planner gets its statistics).
     */
    public static void seed(DataSource dataSource, int runs) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (String sql : STATEMENTS) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (sql.contains("?")) {
                        statement.setInt(1, runs);
                    }
                    statement.execute();
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement vacuum = connection.createStatement()) {
                vacuum.execute("vacuum analyze");
            }
        }
    }
}
