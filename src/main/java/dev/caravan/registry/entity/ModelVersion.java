package dev.caravan.registry.entity;

import com.fasterxml.jackson.databind.JsonNode;

/** The model version a run registered, with its test metrics, the baseline's, and how it was trained. */
public record ModelVersion(
        String name,
        int version,
        JsonNode metrics,
        JsonNode baseline,
        int bestEpoch,
        int stoppedEpoch,
        String stopReason,
        String device,
        int candidate,
        JsonNode params,
        String datasetSha256) {}
