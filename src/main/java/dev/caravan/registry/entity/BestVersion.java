package dev.caravan.registry.entity;

import java.time.Instant;
import java.util.UUID;

/** The model version whose run has the best value of a metric. */
public record BestVersion(
        String model, int version, UUID runId, String metric, double value, String direction, Instant createdAt) {}
