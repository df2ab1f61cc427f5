package dev.caravan.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.registry.Records.Dataset;
import dev.caravan.registry.Records.Run;
import dev.caravan.registry.Records.RunDetail;
import dev.caravan.registry.Records.StageRun;
import dev.caravan.registry.Records.StoredArtifact;
import java.time.Duration;
import java.time.Instant;

/**
 * A run as one JSON object, built from the run store alone, so that {@code run --json} and
 * {@code runs show --json} print the same thing:
 * {@code {"runId","pipeline","status","error","failedStage",...,"stages":[...],"dataset":{...},"artifacts":[...]}}.
 */
public final class RunReport {
    private RunReport() {
    }

    public static ObjectNode of(RunDetail detail) {
        Run run = detail.run();
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("runId", run.id().toString());
        report.put("pipeline", run.pipeline());
        report.put("status", run.status());
        report.put("error", run.error());
        report.put("failedStage", run.failedStage());
        report.put("trigger", run.trigger());
        report.put("startedAt", String.valueOf(run.startedAt()));
        report.put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        putDuration(report, run.startedAt(), run.finishedAt());
        report.put("artifactDir", run.artifactDir());
        ArrayNode stages = report.putArray("stages");
        JsonNode cleanMetrics = null;
        for (StageRun stage : detail.stages()) {
            ObjectNode node = stages.addObject();
            node.put("name", stage.stage());
            node.put("status", stage.status());
            node.put("attempt", stage.attempt());
            putDuration(node, stage.startedAt(), stage.finishedAt());
            node.put("rowsIn", stage.rowsIn());
            node.put("rowsOut", stage.rowsOut());
            node.put("error", stage.error());
            node.set("metrics", Json.read(stage.metricsJson()));
            if (stage.stage().equals("clean") && stage.status().equals("SUCCEEDED")) {
                cleanMetrics = node.get("metrics");
            }
        }
        report.set("dataset", dataset(detail.dataset(), cleanMetrics));
        ArrayNode artifacts = report.putArray("artifacts");
        for (StoredArtifact artifact : detail.artifacts()) {
            artifacts.addObject().put("stage", artifact.stage()).put("kind", artifact.kind())
                    .put("path", artifact.path()).put("sha256", artifact.sha256()).put("bytes", artifact.bytes());
        }
        return report;
    }

    private static JsonNode dataset(Dataset dataset, JsonNode cleanMetrics) {
        if (dataset == null) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("source", dataset.source());
        node.put("sha256", dataset.sha256());
        node.put("bytes", dataset.bytes());
        node.put("rows", dataset.rows());
        node.put("columns", dataset.columns());
        if (cleanMetrics == null) {
            node.putNull("quarantinedRows");
        } else {
            node.set("quarantinedRows", cleanMetrics.get("quarantined"));
            node.set("quarantinedByReason", cleanMetrics.get("quarantinedByReason"));
        }
        node.set("schema", Json.read(dataset.schemaJson()));
        return node;
    }

    private static void putDuration(ObjectNode node, Instant started, Instant finished) {
        if (finished == null) {
            node.putNull("durationMs");
        } else {
            node.put("durationMs", Duration.between(started, finished).toMillis());
        }
    }
}
