package dev.caravan.registry.entity;

import com.fasterxml.jackson.databind.JsonNode;

/** One trained candidate of a run: its settings and how its training ended. */
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
        double seconds) {}
