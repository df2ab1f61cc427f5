package dev.caravan.registry;

/** A file a stage wrote, with its content hash, as the stage hands it to the run store. */
public record Artifact(String kind, String path, String sha256, long bytes) {}
