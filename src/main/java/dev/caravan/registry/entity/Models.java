package dev.caravan.registry.entity;

import java.util.List;

/** Every registered model, by name. */
public record Models(List<ModelSummary> models) {}
