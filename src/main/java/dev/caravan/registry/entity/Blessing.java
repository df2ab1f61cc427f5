package dev.caravan.registry.entity;

import java.time.Instant;

/**
 * The evaluation gate's decision for a model version, with its numbers; the champion's are null when there was
 * none to compare with.
 *
 * @param direction {@code higher} or {@code lower}: which way the metric improves
 */
public record Blessing(
        boolean blessed,
        String metric,
        String direction,
        double candidateValue,
        Integer championVersion,
        Double championValue,
        Double absoluteChange,
        Double relativeChange,
        String reason,
        Instant decidedAt) {}
