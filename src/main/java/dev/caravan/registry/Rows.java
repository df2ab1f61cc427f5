package dev.caravan.registry;

import dev.caravan.data.Json;
import dev.caravan.registry.entity.AliasMove;
import dev.caravan.registry.entity.Blessing;
import dev.caravan.registry.entity.Dataset;
import dev.caravan.registry.entity.Deployment;
import dev.caravan.registry.entity.Export;
import dev.caravan.registry.entity.Run;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.registry.entity.StageRun;
import dev.caravan.registry.entity.StoredArtifact;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** The entities that run and model queries both read, each from the columns of its table. */
final class Rows {
    /** Stage runs, each with the run of the stage run it reused, for {@link #stageRun}; add the where clause. */
    static final String STAGE_RUNS = "select s.*, source.run_id as cached_from_run from stage_runs s"
            + " left join stage_runs source on source.id = s.cached_from";
    /** Artifacts, each with the stage that wrote it, for {@link #artifact}; add the where clause. */
    static final String ARTIFACTS = "select a.*, s.stage from artifacts a join stage_runs s on s.id = a.stage_run_id";

    private Rows() {}

    /** A stage row ({@code s.*}) with {@code cached_from_run}, the run of the stage run it reused. */
    static StageRun stageRun(ResultSet row) throws SQLException {
        Instant started = Jdbc.instant(row, "started_at");
        Instant finished = Jdbc.instant(row, "finished_at");
        return new StageRun(
                row.getString("stage"),
                RunStatus.valueOf(row.getString("status")),
                row.getInt("attempt"),
                started,
                finished,
                Run.durationMs(started, finished),
                row.getObject("rows_in", Long.class),
                row.getObject("rows_out", Long.class),
                row.getString("error"),
                row.getObject("cached_from_run", UUID.class),
                Json.read(row.getString("metrics")));
    }

    /** An artifact row ({@code a.*}) with {@code stage}, the name of the stage that wrote it. */
    static StoredArtifact artifact(ResultSet row) throws SQLException {
        return new StoredArtifact(
                row.getString("stage"),
                row.getString("kind"),
                row.getString("path"),
                row.getString("sha256"),
                row.getLong("bytes"));
    }

    /** A dataset: {@code source, sha256, bytes, row_count, column_count, schema}, any of them null. */
    static Dataset dataset(ResultSet row) throws SQLException {
        return new Dataset(
                row.getString("source"),
                row.getString("sha256"),
                row.getObject("bytes", Long.class),
                row.getObject("row_count", Long.class),
                row.getObject("column_count", Integer.class),
                Json.read(row.getString("schema")));
    }

    static Export export(ResultSet row) throws SQLException {
        return new Export(
                row.getString("chosen"),
                row.getString("reason"),
                Json.read(row.getString("fp32")),
                Json.read(row.getString("int8")),
                Jdbc.instant(row, "created_at"));
    }

    /** A blessing row ({@code b.*}) with {@code champion_version}, the number of the version it was compared with. */
    static Blessing blessing(ResultSet row) throws SQLException {
        return new Blessing(
                row.getBoolean("blessed"),
                row.getString("metric"),
                row.getString("direction"),
                row.getDouble("candidate_value"),
                row.getObject("champion_version", Integer.class),
                row.getObject("champion_value", Double.class),
                row.getObject("absolute_change", Double.class),
                row.getObject("relative_change", Double.class),
                row.getString("reason"),
                Jdbc.instant(row, "created_at"));
    }

    static Deployment deployment(ResultSet row) throws SQLException {
        return new Deployment(
                row.getString("target"),
                row.getString("image"),
                row.getString("digest"),
                row.getString("image_id"),
                row.getString("tar_file"),
                row.getString("status"),
                Jdbc.instant(row, "created_at"));
    }

    /** An alias history row ({@code h.*}) with {@code from_version} and {@code to_version}. */
    static AliasMove move(ResultSet row) throws SQLException {
        return new AliasMove(
                row.getString("model_name"),
                row.getString("alias"),
                row.getObject("from_version", Integer.class),
                row.getInt("to_version"),
                row.getString("moved_by"),
                row.getString("reason"),
                row.getBoolean("forced"),
                Jdbc.instant(row, "moved_at"));
    }
}
