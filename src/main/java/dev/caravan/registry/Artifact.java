package dev.caravan.registry;

/** A file a stage wrote, with its content hash, as the stage hands it to the run store. */
public record Artifact(String kind, String path, String sha256, long bytes) {
    // The kinds that stages write and that the registry, the CLI and the step cache look up by kind
    public static final String QUARANTINE = "quarantine";
    public static final String TRANSFORM = "transform";
    public static final String MODEL = "model";
    public static final String MODEL_CONFIG = "model-config";
    public static final String REPORT = "report";
    public static final String ONNX_FP32 = "onnx-fp32";
    public static final String ONNX_INT8 = "onnx-int8";
    public static final String CHECKPOINT = "checkpoint";
}
