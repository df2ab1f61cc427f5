package dev.caravan.registry.entity;

import java.time.Instant;
import java.util.Map;

/** A registered model: how many versions it has, the newest, and where its aliases point. */
public record ModelSummary(
        String name, Instant createdAt, int versionCount, Integer latestVersion, Map<String, Integer> aliases) {}
