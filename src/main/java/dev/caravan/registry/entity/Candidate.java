package dev.caravan.registry.entity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One trained candidate of a run: its settings, how its training ended, and what the search decided about it at
 * each rung ({@code rung}, {@code epoch}, {@code value}, {@code promoted}, {@code reason}; empty unless halving).
 */
public record Candidate(
        int index,
        JsonNode params,
        boolean usable,
        Integer bestEpoch,
        int stoppedEpoch,
        String stopReason,
        Double bestValidationLoss,
        Double bestValidationMetric,
        String device,
        double seconds,
        JsonNode rungs) {}
