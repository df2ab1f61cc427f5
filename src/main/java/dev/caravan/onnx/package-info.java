/**
 * The export and quantize stages: writes a trained MLP as an ONNX graph with the fitted normalization (and the
 * regression target's inverse scaling, or a softmax) inside, checks it against the training engine in ONNX
 * Runtime, and builds a static INT8 QDQ version, calibrated in plain Java, that must pass an accuracy and
 * latency gate. Entry points: {@link dev.caravan.onnx.OnnxExporter}, {@link dev.caravan.onnx.Calibrator},
 * {@link dev.caravan.onnx.OrtModel}, {@link dev.caravan.onnx.QuantizationGate}.
 */
package dev.caravan.onnx;
