package dev.caravan.registry.entity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/** Where a model version came from: its run, the run's stages with the artifacts each wrote, and the dataset. */
public record Lineage(String model, int version, Run run, List<Stage> stages, Dataset dataset) {
    /** A stage attempt of the run and what it wrote. */
    public record Stage(@JsonUnwrapped StageRun stage, List<StoredArtifact> artifacts) {}
}
