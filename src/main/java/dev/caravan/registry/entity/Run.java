package dev.caravan.registry.entity;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A run as every listing shows it ({@code runs list}, {@code runs search}, {@code GET /api/runs}) and as the top of
 * its detail ({@link RunDetail}): what ran, how it ended, and its tags, metrics and params.
 *
 * @param durationMs from start to end; null while it runs
 * @param metrics the chosen model's test metrics and validation figures; NaN and infinities included, as JSON
 *     strings
 */
public record Run(
        UUID runId,
        String pipeline,
        RunStatus status,
        String trigger,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String failedStage,
        String error,
        String artifactDir,
        Map<String, String> tags,
        Map<String, Double> metrics,
        Map<String, String> params) {

    /** The time between two instants, or null for a run that has not ended. */
    public static Long durationMs(Instant started, Instant finished) {
        return finished == null ? null : Duration.between(started, finished).toMillis();
    }
}
