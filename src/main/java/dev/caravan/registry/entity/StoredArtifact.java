package dev.caravan.registry.entity;

/** A file a stage wrote, as recorded: the stage, its kind, where it is and its sha256. */
public record StoredArtifact(String stage, String kind, String path, String sha256, long bytes) {}
