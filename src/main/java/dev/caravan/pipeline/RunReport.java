package dev.caravan.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.registry.Records.Candidate;
import dev.caravan.registry.Records.Dataset;
import dev.caravan.registry.Records.ModelExport;
import dev.caravan.registry.Records.ModelVersion;
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
            node.put("cachedFromRun", stage.cachedFromRun() == null ? null : stage.cachedFromRun().toString());
            node.set("metrics", Json.read(stage.metricsJson()));
            if (stage.stage().equals("clean") && stage.status().equals("SUCCEEDED")) {
                cleanMetrics = node.get("metrics");
            }
        }
        report.set("dataset", dataset(detail.dataset(), cleanMetrics));
        report.set("model", model(detail.modelVersion()));
        report.set("onnx", onnx(detail.export()));
        report.set("blessing", blessing(stages));
        report.set("deployment", detail.deployment() == null ? Json.MAPPER.nullNode()
                : Json.MAPPER.valueToTree(detail.deployment()));
        ArrayNode candidates = report.putArray("candidates");
        for (Candidate candidate : detail.candidates()) {
            ObjectNode node = candidates.addObject();
            node.put("index", candidate.index());
            node.set("params", Json.read(candidate.paramsJson()));
            node.put("usable", candidate.usable());
            node.put("bestEpoch", candidate.bestEpoch());
            node.put("stoppedEpoch", candidate.stoppedEpoch());
            node.put("stopReason", candidate.stopReason());
            node.put("bestValidationLoss", candidate.bestValidationLoss());
            node.put("bestValidationMetric", candidate.bestValidationMetric());
            node.put("device", candidate.device());
            node.put("seconds", candidate.seconds());
        }
        ArrayNode artifacts = report.putArray("artifacts");
        for (StoredArtifact artifact : detail.artifacts()) {
            artifacts.addObject().put("stage", artifact.stage()).put("kind", artifact.kind())
                    .put("path", artifact.path()).put("sha256", artifact.sha256()).put("bytes", artifact.bytes());
        }
        return report;
    }

    /** The bless stage's decision (its metrics), or null when the run did not get that far. */
    private static JsonNode blessing(ArrayNode stages) {
        JsonNode decision = Json.MAPPER.nullNode();
        for (JsonNode stage : stages) {
            if (stage.get("name").asText().equals("bless") && stage.get("status").asText().equals("SUCCEEDED")) {
                decision = stage.get("metrics");
            }
        }
        return decision;
    }

    private static JsonNode onnx(ModelExport export) {
        if (export == null) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("fp32", Json.read(export.fp32Json()));
        node.set("int8", Json.read(export.int8Json()));
        node.put("chosen", export.chosen());
        node.put("reason", export.reason());
        return node;
    }

    private static JsonNode model(ModelVersion version) {
        if (version == null) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", version.modelName());
        node.put("version", version.version());
        node.set("metrics", Json.read(version.metricsJson()));
        node.set("baseline", Json.read(version.baselineJson()));
        node.put("bestEpoch", version.bestEpoch());
        node.put("stoppedEpoch", version.stoppedEpoch());
        node.put("stopReason", version.stopReason());
        node.put("device", version.device());
        node.put("candidate", version.candidate());
        node.set("params", Json.read(version.paramsJson()));
        node.put("datasetSha256", version.datasetSha256());
        return node;
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
