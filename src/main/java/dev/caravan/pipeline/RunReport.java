package dev.caravan.pipeline;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.registry.entity.Blessing;
import dev.caravan.registry.entity.Candidate;
import dev.caravan.registry.entity.Dataset;
import dev.caravan.registry.entity.Deployment;
import dev.caravan.registry.entity.Export;
import dev.caravan.registry.entity.ModelVersion;
import dev.caravan.registry.entity.Run;
import dev.caravan.registry.entity.RunDetail;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.registry.entity.StageRun;
import dev.caravan.registry.entity.StoredArtifact;
import java.util.List;

/**
 * A run as {@code caravan run}, {@code runs show} and {@code GET /api/runs/{id}} show it: the run itself (the same
 * fields as every listing of runs) followed by its stages, dataset, model, ONNX export ({@code onnx}), blessing,
 * deployment, candidates and artifacts. The dataset carries what the clean stage quarantined.
 */
public record RunReport(
        @JsonUnwrapped Run run,
        List<StageRun> stages,
        DatasetReport dataset,
        ModelVersion model,
        Export onnx,
        Blessing blessing,
        Deployment deployment,
        List<Candidate> candidates,
        List<StoredArtifact> artifacts) {

    /** The dataset the run read, and how many of its rows cleaning quarantined (null before it has). */
    public record DatasetReport(
            @JsonUnwrapped Dataset dataset, JsonNode quarantinedRows, JsonNode quarantinedByReason) {}

    public static RunReport of(RunDetail detail) {
        return new RunReport(
                detail.run(),
                detail.stages(),
                dataset(detail),
                detail.model(),
                detail.export(),
                detail.blessing(),
                detail.deployment(),
                detail.candidates(),
                detail.artifacts());
    }

    private static DatasetReport dataset(RunDetail detail) {
        if (detail.dataset() == null) {
            return null;
        }
        JsonNode clean = detail.stages().stream()
                .filter(stage ->
                        stage.name().equals(PipelineStages.CLEAN.name()) && stage.status() == RunStatus.SUCCEEDED)
                .reduce((earlier, later) -> later)
                .map(StageRun::metrics)
                .orElse(null);
        return clean == null
                ? new DatasetReport(detail.dataset(), null, null)
                : new DatasetReport(detail.dataset(), clean.get("quarantined"), clean.get("quarantinedByReason"));
    }
}
