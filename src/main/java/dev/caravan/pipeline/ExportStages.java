package dev.caravan.pipeline;

import dev.caravan.clean.CleanResult;
import dev.caravan.data.CaravanException;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.Json;
import dev.caravan.data.MlpWeights;
import dev.caravan.data.Shuffle;
import dev.caravan.onnx.Int8Quantizer;
import dev.caravan.onnx.LatencyComparison;
import dev.caravan.onnx.OnnxExporter;
import dev.caravan.onnx.OrtModel;
import dev.caravan.onnx.QuantizationGate;
import dev.caravan.pipeline.PipelineStages.Exported;
import dev.caravan.pipeline.PipelineStages.Quantized;
import dev.caravan.registry.Artifact;
import dev.caravan.registry.Products;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.train.Scores;
import dev.caravan.train.Selection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** The export and quantize stages: ONNX FP32 with a parity check, then INT8 behind the accuracy/latency gate. */
final class ExportStages {
    private ExportStages() {}

    static StageResult<Exported> export(RunState state) {
        Selection selection = state.output(PipelineStages.SELECT);
        EncodedSplits encoded = selection.encoded();
        FittedTransform transform = encoded.transform();
        byte[] model = OnnxExporter.exportFp32(selection.model().weights(), transform, provenance(state));
        int[] testRows = state.output(PipelineStages.SPLIT).test();
        double[] features =
                transform.encodeUnnormalized(state.output(PipelineStages.CLEAN).table(), testRows);
        float[] onnx;
        try (OrtModel session = OrtModel.load(model, transform.featureCount(), "fp32")) {
            onnx = session.run(features, testRows.length);
        }
        float[] djl = Scores.served(transform, selection.model().outputs(encoded.test()));
        double maxDifference = 0;
        for (int i = 0; i < onnx.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(onnx[i] - djl[i]));
        }
        double outputScale = transform.isClassification()
                ? 1
                : transform.target().logged()
                        ? meanAbsolute(djl)
                        : 1 / transform.target().scale();
        double relative = maxDifference / outputScale;
        double tolerance = state.spec().export.parityTolerance;
        if (!(relative <= tolerance)) {
            throw CaravanException.badData(String.format(
                    Locale.ROOT,
                    "parity: ONNX Runtime and DJL differ by up to"
                            + " %.3g (%.3g of the output scale) on the %d test rows, over the %.1g allowed",
                    maxDifference,
                    relative,
                    testRows.length,
                    tolerance));
        }
        Artifact artifact =
                ArtifactFiles.writeBytes(Artifact.ONNX_FP32, state.artifactDir().resolve("model.onnx"), model);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("maxAbsDifference", maxDifference);
        metrics.put("relativeDifference", relative);
        metrics.put("bytes", model.length);
        long rows = testRows.length;
        return StageResult.of(new Exported(model), rows, rows, metrics, List.of(artifact));
    }

    /** The scale of a log target's predictions, which have no fixed one: their mean magnitude. */
    private static double meanAbsolute(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += Math.abs(value);
        }
        return sum / Math.max(1, values.length);
    }

    /** What travels inside the ONNX file: enough to trace it back to its run without the database. */
    private static Map<String, String> provenance(RunState state) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("caravan.model.name", state.spec().modelName());
        provenance.put("caravan.model.version", String.valueOf(state.modelVersion()));
        provenance.put("caravan.run_id", state.runId().toString());
        provenance.put(
                "caravan.dataset_sha256",
                state.output(PipelineStages.INGEST).profile().sha256());
        provenance.put(
                "caravan.transform_sha256",
                state.output(PipelineStages.TRANSFORM).transformSha256());
        String version = ExportStages.class.getPackage().getImplementationVersion();
        provenance.put("caravan.version", version == null ? "development" : version);
        return provenance;
    }

    /** An export measured through ONNX Runtime: its test metrics, its median latency per batch size, its size. */
    private record Measured(Map<String, Double> metrics, Map<String, Double> latency, int bytes) {
        /** As recorded: {@code {"metrics", "latency", "bytes"}}. */
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("metrics", metrics);
            json.put("latency", latency);
            json.put("bytes", bytes);
            return json;
        }
    }

    static StageResult<Quantized> quantize(RunState state) {
        PipelineSpec.Quantization settings = state.spec().quantization;
        EncodedSplits encoded = state.output(PipelineStages.SELECT).encoded();
        FittedTransform transform = encoded.transform();
        int[] testRows = state.output(PipelineStages.SPLIT).test();
        double[] test =
                transform.encodeUnnormalized(state.output(PipelineStages.CLEAN).table(), testRows);
        int[] batches =
                IntStream.of(1, 256, settings.latencyBatch).distinct().sorted().toArray();
        byte[] fp32Model = state.output(PipelineStages.EXPORT).fp32Model();
        Measured fp32 = measure(fp32Model, transform, test, encoded.test(), batches);
        Measured int8 = null;
        Int8Quantizer.Result built = null;
        LatencyComparison latency = null;
        List<Artifact> artifacts = List.of();
        String chosen = "fp32";
        String reason;
        if (!settings.enabled) {
            reason = "fp32 kept: quantization is disabled (quantization.enabled: false)";
        } else {
            try {
                built = int8Model(state, transform);
                if (built.model() == null) {
                    reason = "fp32 kept: " + built.summary();
                } else {
                    int8 = measure(built.model(), transform, test, encoded.test(), batches);
                    artifacts = List.of(ArtifactFiles.writeBytes(
                            Artifact.ONNX_INT8, state.artifactDir().resolve("model.int8.onnx"), built.model()));
                    latency = compareLatency(fp32Model, built.model(), transform, test, settings.latencyBatch);
                    QuantizationGate.Decision decision = gate(transform, settings, fp32, int8, latency);
                    chosen = decision.chosen();
                    reason = decision.reason() + "; " + built.summary();
                }
            } catch (CaravanException e) {
                // an int8 model that cannot be calibrated or loaded (bad data), or that ONNX Runtime fails to run
                if (e.kind() != CaravanException.Kind.BAD_DATA && e.kind() != CaravanException.Kind.FAULT) {
                    throw e;
                }
                int8 = null;
                built = null;
                artifacts = List.of();
                reason = "fp32 kept: int8 could not be built: " + e.getMessage();
            }
        }
        Map<String, Object> int8Json = new LinkedHashMap<>();
        if (int8 != null) {
            int8Json.putAll(int8.json());
            int8Json.put("sizeRatio", (double) int8.bytes() / fp32.bytes());
            int8Json.put("latencyComparison", latency);
        }
        if (built != null) {
            int8Json.put("layers", built.layers());
            int8Json.put("layerSummary", built.summary());
        }
        int8Json.put("built", int8 != null);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("fp32", fp32.json());
        metrics.put("int8", int8Json);
        metrics.put("chosen", chosen);
        metrics.put("reason", reason);
        Products.Export export = new Products.Export(Json.write(fp32.json()), Json.write(int8Json), chosen, reason);
        boolean int8Chosen = chosen.equals("int8");
        Quantized quantized = new Quantized(
                state.artifactDir()
                        .resolve(int8Chosen ? "model.int8.onnx" : "model.onnx")
                        .toString(),
                new LinkedHashMap<>((int8Chosen ? int8 : fp32).metrics()));
        long rows = testRows.length;
        return StageResult.of(quantized, rows, rows, metrics, artifacts).with(Products.NONE.withExport(export));
    }

    private static Int8Quantizer.Result int8Model(RunState state, FittedTransform transform) {
        PipelineSpec.Quantization settings = state.spec().quantization;
        CleanResult cleaned = state.output(PipelineStages.CLEAN);
        int[] train = state.output(PipelineStages.SPLIT).train();
        int[] positions = calibrationPositions(train.length, settings.calibrationRows, state.spec().training.seed);
        int[] rows = new int[positions.length];
        float[] targets = new float[positions.length];
        float[] encodedTargets =
                state.output(PipelineStages.SELECT).encoded().train().targets();
        for (int k = 0; k < positions.length; k++) {
            rows[k] = train[positions[k]];
            targets[k] = encodedTargets[positions[k]];
        }
        Int8Quantizer.Calibration calibration = new Int8Quantizer.Calibration(
                transform.encodeUnnormalized(cleaned.table(), rows), rows.length, gateMetric(transform, targets));
        List<MlpWeights> members = state.output(PipelineStages.SELECT).model().weights();
        return new Int8Quantizer(members, transform, calibration, provenance(state))
                .quantize(settings.method, settings.percentile, settings.tolerance);
    }

    /** The gate's metric (accuracy or RMSE) of served outputs against these encoded targets. */
    private static Int8Quantizer.Metric gateMetric(FittedTransform transform, float[] encodedTargets) {
        String name = transform.isClassification() ? Scores.ACCURACY : Scores.RMSE;
        return new Int8Quantizer.Metric(name, transform.isClassification(), outputs -> Scores.test(
                        transform, outputs, Scores.Outputs.SERVED, encodedTargets)
                .get(name));
    }

    /**
     * A seeded random sample of positions in the training split: the first rows of a time-ordered file would miss
     * later ranges.
     */
    private static int[] calibrationPositions(int trainRows, int wanted, long seed) {
        int[] shuffled = Shuffle.permutation(trainRows, new SplittableRandom(seed));
        return Arrays.copyOf(shuffled, Math.min(wanted, shuffled.length));
    }

    /** FP32 against INT8 at the gate's batch size, measured in turn (see {@link LatencyComparison}). */
    private static LatencyComparison compareLatency(
            byte[] fp32Model, byte[] int8Model, FittedTransform transform, double[] test, int batch) {
        int width = transform.featureCount();
        int rows = test.length / width;
        double[] input = new double[batch * width];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(test, (r % rows) * width, input, r * width, width);
        }
        try (OrtModel fp32 = OrtModel.load(fp32Model, width, "fp32");
                OrtModel int8 = OrtModel.load(int8Model, width, "int8")) {
            return LatencyComparison.measure(fp32, int8, input, batch, LatencyComparison.ROUNDS, 40);
        }
    }

    /** Test metrics through ONNX Runtime, and the median latency at each batch size after warm-up. */
    private static Measured measure(
            byte[] model, FittedTransform transform, double[] test, FeatureMatrix encodedTest, int[] batches) {
        int rows = encodedTest.rows();
        int width = transform.featureCount();
        try (OrtModel session = OrtModel.load(model, width, "exported")) {
            float[] outputs = session.run(test, rows);
            Map<String, Double> metrics = Scores.test(transform, outputs, Scores.Outputs.SERVED, encodedTest.targets());
            Map<String, Double> latency = new LinkedHashMap<>();
            for (int batch : batches) {
                double[] input = new double[batch * width];
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(test, (r % rows) * width, input, r * width, width);
                }
                latency.put(
                        "batch" + batch + "Ms", session.medianLatencyMillis(input, batch, 50, batch == 1 ? 300 : 60));
            }
            return new Measured(metrics, latency, model.length);
        }
    }

    private static QuantizationGate.Decision gate(
            FittedTransform transform,
            PipelineSpec.Quantization settings,
            Measured fp32,
            Measured int8,
            LatencyComparison latency) {
        String metric = transform.isClassification() ? Scores.ACCURACY : Scores.RMSE;
        return QuantizationGate.decide(
                metric,
                transform.isClassification(),
                fp32.metrics().get(metric),
                int8.metrics().get(metric),
                settings.tolerance,
                latency);
    }
}
