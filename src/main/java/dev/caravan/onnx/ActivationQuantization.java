package dev.caravan.onnx;

/**
 * How one dense layer's input is quantized to uint8 ({@code q = round(x / scale) + zeroPoint}), with the input's
 * mean over the calibration rows, which bias correction needs.
 */
public record ActivationQuantization(float scale, int zeroPoint, double min, double max, double[] inputMean) {}
