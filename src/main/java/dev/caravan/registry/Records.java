package dev.caravan.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The rows the run store reads and writes. JSON columns travel as JSON text. */
public final class Records {
    private Records() {
    }

    /** A file a stage wrote, with its content hash. */
    public record Artifact(String kind, String path, String sha256, long bytes) {
    }

    /** The dataset a run read, as profiled by ingestion. */
    public record Dataset(String source, String sha256, long bytes, long rows, int columns, String schemaJson,
            String columnStatsJson) {
    }

    /** What a succeeded stage produced; saved in one transaction. */
    public record StageOutcome(long stageRunId, Long rowsIn, Long rowsOut, String metricsJson,
            List<Artifact> artifacts, Dataset dataset) {
        public StageOutcome {
            artifacts = List.copyOf(artifacts);
        }
    }

    public record Run(UUID id, String pipeline, String trigger, String status, String configJson,
            String artifactDir, Instant startedAt, Instant finishedAt, Instant heartbeatAt, String failedStage,
            String error) {
    }

    public record StageRun(long id, String stage, int attempt, String status, Instant startedAt,
            Instant finishedAt, Long rowsIn, Long rowsOut, String error, String metricsJson) {
    }

    public record StoredArtifact(String stage, String kind, String path, String sha256, long bytes) {
    }

    /** A run with everything recorded about it. */
    public record RunDetail(Run run, List<StageRun> stages, Dataset dataset, List<StoredArtifact> artifacts) {
    }
}
