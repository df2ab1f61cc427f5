package dev.caravan.registry.entity;

import java.util.List;

/**
 * Everything recorded about one run, read in one snapshot: the run, each stage attempt, the dataset, the
 * artifacts, the candidates, and the model version it registered with its export, blessing and deployment
 * (null where the run did not get that far).
 */
public record RunDetail(
        Run run,
        List<StageRun> stages,
        Dataset dataset,
        List<StoredArtifact> artifacts,
        List<Candidate> candidates,
        ModelVersion model,
        Export export,
        Blessing blessing,
        Deployment deployment) {}
