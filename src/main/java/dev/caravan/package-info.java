/**
 * Caravan: an MLOps pipeline on Apache Camel. The CLI ({@code cli}) loads a spec ({@code spec}) and starts the
 * Camel routes ({@code pipeline}), which run the stages of {@code pipeline.PipelineStages} in order: validate,
 * ingest, clean, split, transform, train, select, export, quantize, bless, deploy. The stage packages
 * ({@code ingest}, {@code clean}, {@code split}, {@code transform}, {@code train}, {@code onnx}, {@code evaluate},
 * {@code deploy}) import only {@code data}, whose typed artifacts they exchange; everything is recorded in the
 * registry ({@code registry}). {@code server}, {@code schedule} and {@code api} make {@code caravan server};
 * {@code serve} is the model server the deployed images run.
 */
package dev.caravan;
