package dev.caravan.pipeline;

import dev.caravan.registry.Artifact;
import dev.caravan.registry.Products;
import java.util.List;
import java.util.Map;

/**
 * What a stage run produced: its typed output for later stages (null for a stage that hands nothing on), and what
 * to record: row counts, metrics, artifacts, and the {@link Products} only some stages make.
 */
record StageResult<T>(
        T output, Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts, Products products) {

    static <T> StageResult<T> of(
            T output, Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts) {
        return new StageResult<>(output, rowsIn, rowsOut, metrics, artifacts, Products.NONE);
    }

    /** A result with nothing to hand on. */
    static StageResult<Void> recorded(
            Long rowsIn, Long rowsOut, Map<String, Object> metrics, List<Artifact> artifacts) {
        return of(null, rowsIn, rowsOut, metrics, artifacts);
    }

    StageResult<T> with(Products value) {
        return new StageResult<>(output, rowsIn, rowsOut, metrics, artifacts, value);
    }
}
