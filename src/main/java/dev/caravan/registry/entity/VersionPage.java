package dev.caravan.registry.entity;

import java.util.List;

/** A page of a model's versions, newest first; {@code nextOffset} asks for the next page (null on the last). */
public record VersionPage(String model, List<VersionSummary> versions, Integer nextOffset) {}
