package dev.caravan.pipeline;

import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Candidate;
import dev.caravan.registry.Records.Dataset;
import dev.caravan.registry.Records.Deployment;
import dev.caravan.registry.Records.ModelExport;
import dev.caravan.registry.Records.ModelVersionDraft;
import java.util.List;
import java.util.Map;

/**
 * What a stage reports for its stage run: row counts, metrics and artifacts, plus what only some stages make:
 * the dataset (ingest), the candidates (train), the model version to register (select) and the exports
 * (quantize) and the image (deploy).
 */
record StageReport(Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts,
        Dataset dataset, List<Candidate> candidates, ModelVersionDraft modelVersion, ModelExport export,
        Deployment deployment) {

    StageReport(Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts) {
        this(rowsIn, rowsOut, metrics, artifacts, null, List.of(), null, null, null);
    }
}
