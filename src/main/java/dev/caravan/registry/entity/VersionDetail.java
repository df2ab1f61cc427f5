package dev.caravan.registry.entity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One model version in full: what listings show, how it was trained, the gate's decision, its export and
 * deployment (null when there is none), and every alias move to or from it, newest first.
 */
public record VersionDetail(
        @JsonUnwrapped VersionSummary summary,
        int candidate,
        String datasetSha256,
        JsonNode baseline,
        int bestEpoch,
        int stoppedEpoch,
        String stopReason,
        String device,
        Blessing blessing,
        Export export,
        Deployment deployment,
        List<AliasMove> aliasHistory) {}
