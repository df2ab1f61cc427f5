package dev.caravan.pipeline;

import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.MlpWeights;
import dev.caravan.onnx.ActivationQuantization;
import dev.caravan.onnx.Calibrator;
import dev.caravan.onnx.ExportException;
import dev.caravan.onnx.OnnxExporter;
import dev.caravan.onnx.OrtModel;
import dev.caravan.onnx.QuantizationGate;
import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.ModelExport;
import dev.caravan.registry.Records.Products;
import dev.caravan.train.Scores;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The export and quantize stages: ONNX FP32 with a parity check, then INT8 behind the accuracy/latency gate. */
final class ExportStages {
    private ExportStages() {
    }

    static StageReport export(RunState state) {
        FittedTransform transform = state.encoded.transform();
        MlpWeights weights = state.selection.model().weights();
        byte[] model = OnnxExporter.exportFp32(weights, transform, provenance(state));
        int[] testRows = state.split.test();
        double[] features = transform.encodeUnnormalized(state.cleaned.table(), testRows);
        float[] onnx;
        try (OrtModel session = OrtModel.load(model, transform.featureCount(), "fp32")) {
            onnx = session.run(features, testRows.length);
        }
        float[] djl = engineOutputs(transform, state.selection.model().outputs(state.encoded.test()));
        double maxDifference = 0;
        for (int i = 0; i < onnx.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(onnx[i] - djl[i]));
        }
        double outputScale = transform.isClassification() ? 1 : 1 / transform.target().scale();
        double relative = maxDifference / outputScale;
        double tolerance = state.spec().export.parityTolerance;
        if (!(relative <= tolerance)) {
            throw new ExportException(String.format(java.util.Locale.ROOT, "parity: ONNX Runtime and DJL differ by"
                    + " up to %.3g (%.3g of the output scale) on the %d test rows, over the %.1g allowed",
                    maxDifference, relative, testRows.length, tolerance));
        }
        state.fp32Model = model;
        Artifact artifact = ArtifactFiles.writeBytes("onnx-fp32", state.artifactDir().resolve("model.onnx"), model);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("maxAbsDifference", maxDifference);
        metrics.put("relativeDifference", relative);
        metrics.put("bytes", model.length);
        long rows = testRows.length;
        return new StageReport(rows, rows, metrics, List.of(artifact)).withCheckpoint(model);
    }

    /** What the ONNX graph should output, from the training engine: probabilities, or the target in its units. */
    private static float[] engineOutputs(FittedTransform transform, float[] outputs) {
        if (transform.isClassification()) {
            return Scores.softmax(outputs, transform.target().labels().size());
        }
        float[] unscaled = new float[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            unscaled[i] = (float) transform.unscaleTarget(outputs[i]);
        }
        return unscaled;
    }

    private static Map<String, String> provenance(RunState state) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("caravan.model.name", state.spec().modelName());
        provenance.put("caravan.model.version", String.valueOf(state.modelVersion));
        provenance.put("caravan.run_id", state.runId().toString());
        provenance.put("caravan.dataset_sha256", state.ingested.profile().sha256());
        provenance.put("caravan.transform_sha256", state.transformSha256);
        String version = ExportStages.class.getPackage().getImplementationVersion();
        provenance.put("caravan.version", version == null ? "development" : version);
        return provenance;
    }

    @SuppressWarnings("unchecked")
    static StageReport quantize(RunState state) {
        PipelineSpec.Quantization settings = state.spec().quantization;
        FittedTransform transform = state.encoded.transform();
        int[] testRows = state.split.test();
        double[] test = transform.encodeUnnormalized(state.cleaned.table(), testRows);
        int[] batches = java.util.stream.IntStream.of(1, 256, settings.latencyBatch).distinct().sorted().toArray();
        Map<String, Object> fp32 = measure(state.fp32Model, transform, test, testRows.length, state.encoded.test(),
                batches);
        fp32.put("bytes", state.fp32Model.length);
        Map<String, Object> int8 = new LinkedHashMap<>();
        List<Artifact> artifacts = List.of();
        String chosen = "fp32";
        String reason;
        if (!settings.enabled) {
            reason = "fp32 kept: quantization is disabled (quantization.enabled: false)";
        } else {
            try {
                byte[] model = int8Model(state, transform);
                int8 = measure(model, transform, test, testRows.length, state.encoded.test(), batches);
                artifacts = List.of(ArtifactFiles.writeBytes("onnx-int8",
                        state.artifactDir().resolve("model.int8.onnx"), model));
                int8.put("bytes", model.length);
                int8.put("sizeRatio", (double) model.length / state.fp32Model.length);
                QuantizationGate.Decision decision = gate(transform, settings, fp32, int8);
                chosen = decision.chosen();
                reason = decision.reason();
            } catch (ExportException e) {
                reason = "fp32 kept: int8 could not be built: " + e.getMessage();
            }
        }
        int8.put("built", !artifacts.isEmpty());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("fp32", fp32);
        metrics.put("int8", int8);
        metrics.put("chosen", chosen);
        metrics.put("reason", reason);
        ModelExport export = new ModelExport(Json.write(fp32), Json.write(int8), chosen, reason);
        long rows = testRows.length;
        boolean int8Chosen = chosen.equals("int8");
        state.deployableModel = state.artifactDir().resolve(int8Chosen ? "model.int8.onnx" : "model.onnx");
        state.deployableMetrics = (Map<String, Double>) (int8Chosen ? int8 : fp32).get("metrics");
        return new StageReport(rows, rows, metrics, artifacts).with(Products.NONE.withExport(export))
                .withCheckpoint(new RunState.Quantized(state.deployableModel.toString(),
                        new LinkedHashMap<>(state.deployableMetrics)));
    }

    private static byte[] int8Model(RunState state, FittedTransform transform) {
        PipelineSpec.Quantization settings = state.spec().quantization;
        int[] rows = calibrationRows(state.split.train(), settings.calibrationRows, state.spec().training.seed);
        int count = rows.length;
        double[] calibration = transform.encodeUnnormalized(state.cleaned.table(), rows);
        MlpWeights weights = state.selection.model().weights();
        List<ActivationQuantization> activations = Calibrator.calibrate(weights, transform, calibration, count,
                state.spec().calibrationMethod(), settings.percentile);
        return OnnxExporter.exportInt8(weights, transform, activations, provenance(state));
    }

    /** A seeded random sample of the training rows: the first rows of a time-ordered file would miss later ranges. */
    private static int[] calibrationRows(int[] train, int wanted, long seed) {
        int[] shuffled = train.clone();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
        return Arrays.copyOf(shuffled, Math.min(wanted, shuffled.length));
    }

    /** Test metrics through ONNX Runtime, and the median latency at each batch size after warm-up. */
    private static Map<String, Object> measure(byte[] model, FittedTransform transform, double[] test, int rows,
            FeatureMatrix encodedTest, int[] batches) {
        Map<String, Object> measured = new LinkedHashMap<>();
        try (OrtModel session = OrtModel.load(model, transform.featureCount(), "exported")) {
            float[] outputs = session.run(test, rows);
            measured.put("metrics", testMetrics(transform, outputs, encodedTest));
            Map<String, Double> latency = new LinkedHashMap<>();
            for (int batch : batches) {
                double[] input = new double[batch * transform.featureCount()];
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(test, (r % rows) * transform.featureCount(), input, r * transform.featureCount(),
                            transform.featureCount());
                }
                latency.put("batch" + batch + "Ms", session.medianLatencyMillis(input, batch, 50, batch == 1 ? 300 : 60));
            }
            measured.put("latency", latency);
        }
        return measured;
    }

    private static Map<String, Double> testMetrics(FittedTransform transform, float[] outputs, FeatureMatrix test) {
        if (transform.isClassification()) {
            return Scores.classification(outputs, test.targets(), transform.target().labels().size());
        }
        double[] predicted = new double[outputs.length];
        double[] actual = new double[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            predicted[i] = outputs[i];
            actual[i] = transform.unscaleTarget(test.targets()[i]);
        }
        return Scores.regression(predicted, actual);
    }

    @SuppressWarnings("unchecked")
    private static QuantizationGate.Decision gate(FittedTransform transform, PipelineSpec.Quantization settings,
            Map<String, Object> fp32, Map<String, Object> int8) {
        String metric = transform.isClassification() ? "accuracy" : "rmse";
        double fp32Metric = ((Map<String, Double>) fp32.get("metrics")).get(metric);
        double int8Metric = ((Map<String, Double>) int8.get("metrics")).get(metric);
        int batch = settings.latencyBatch;
        return QuantizationGate.decide(metric, transform.isClassification(), fp32Metric, int8Metric,
                settings.tolerance, batch, latencyAt(fp32, batch), latencyAt(int8, batch));
    }

    @SuppressWarnings("unchecked")
    private static double latencyAt(Map<String, Object> measured, int batch) {
        return ((Map<String, Double>) measured.get("latency")).get("batch" + batch + "Ms");
    }
}
