package dev.caravan.registry.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model version as listings show it.
 *
 * @param blessed the gate's decision; null when it never evaluated the version
 * @param precision the export a server loads ({@code fp32} or {@code int8}); null before export
 * @param image the newest image built of it, or null
 */
public record VersionSummary(
        String model,
        int version,
        UUID runId,
        Instant createdAt,
        JsonNode metrics,
        JsonNode params,
        Boolean blessed,
        List<String> aliases,
        String precision,
        String image) {}
