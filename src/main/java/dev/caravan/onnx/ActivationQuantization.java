package dev.caravan.onnx;

/** How one activation tensor is quantized to uint8: {@code q = round(x / scale) + zeroPoint}. */
public record ActivationQuantization(float scale, int zeroPoint, double min, double max) {}
