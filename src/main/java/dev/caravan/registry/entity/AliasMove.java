package dev.caravan.registry.entity;

import java.time.Instant;

/**
 * One move of an alias: from which version (null for a new alias) to which, by whom, why, and whether it was
 * forced past the blessing gate.
 */
public record AliasMove(
        String model,
        String alias,
        Integer from,
        int to,
        String movedBy,
        String reason,
        boolean forced,
        Instant movedAt) {}
