/**
 * The model server: serves a registered model's deployable ONNX file over HTTP ({@code /predict} with raw rows,
 * the KServe v2 protocol, Prometheus {@code /metrics}), encoding rows from the model's own metadata, and swaps
 * in a newer version atomically when one is registered. Entry point: {@link dev.caravan.serve.ModelServer}.
 */
package dev.caravan.serve;
