package dev.caravan.registry.entity;

import com.fasterxml.jackson.databind.JsonNode;

/** The dataset a run read, as ingestion profiled it; {@code schema} lists its columns and their types. */
public record Dataset(String source, String sha256, Long bytes, Long rows, Integer columns, JsonNode schema) {}
