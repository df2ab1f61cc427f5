package dev.caravan.registry;

import java.util.List;

/** What a succeeded stage produced; saved in one transaction with the stage's SUCCEEDED row. */
public record StageOutcome(
        long stageRunId, Long rowsIn, Long rowsOut, String metricsJson, List<Artifact> artifacts, Products products) {
    public StageOutcome {
        artifacts = List.copyOf(artifacts);
    }
}
