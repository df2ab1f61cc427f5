package dev.caravan.pipeline;

import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Dataset;
import java.util.List;
import java.util.Map;

/** What a stage reports for its stage run: row counts, metrics, artifacts, and (ingest only) the dataset. */
record StageReport(Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts,
        Dataset dataset) {
}
