package dev.caravan.data;

/**
 * The ONNX file the quantize gate chose for a model version: what a model server loads, checked against its
 * recorded sha256.
 *
 * @param precision {@code fp32} or {@code int8}
 */
public record DeployableModel(String name, int version, String path, String sha256, String precision) {}
