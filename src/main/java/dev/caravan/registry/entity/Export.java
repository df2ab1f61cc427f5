package dev.caravan.registry.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The ONNX exports of a model version: FP32 and INT8 (absent when it could not be built), each with its metrics
 * and latencies, and the quantize gate's choice with its reason.
 *
 * @param chosen {@code fp32} or {@code int8}: the file a server loads
 */
public record Export(String chosen, String reason, JsonNode fp32, JsonNode int8, Instant exportedAt) {}
