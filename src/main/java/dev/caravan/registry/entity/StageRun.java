package dev.caravan.registry.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One attempt of a stage.
 *
 * @param cachedFromRun the run whose identical stage this one reused (the step cache), or null
 * @param metrics what the stage reported, as it wrote it
 */
public record StageRun(
        String name,
        RunStatus status,
        int attempt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        Long rowsIn,
        Long rowsOut,
        String error,
        UUID cachedFromRun,
        JsonNode metrics) {}
