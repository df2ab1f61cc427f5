package dev.caravan.pipeline;

import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Products;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a stage reports for its stage run: row counts, metrics and artifacts, the records only some stages make
 * ({@link Products}), and its checkpoint: the stage's typed output, saved so that a resumed or cached run can
 * restore it instead of recomputing (null for stages that have nothing to hand on).
 */
record StageReport(Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts,
        Products products, Serializable checkpoint) {

    StageReport(Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts) {
        this(rowsIn, rowsOut, metrics, artifacts, Products.NONE, null);
    }

    StageReport with(Products value) {
        return new StageReport(rowsIn, rowsOut, metrics, artifacts, value, checkpoint);
    }

    StageReport withCheckpoint(Serializable value) {
        return new StageReport(rowsIn, rowsOut, metrics, artifacts, products, value);
    }
}
