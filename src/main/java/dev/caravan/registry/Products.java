package dev.caravan.registry;

import java.util.List;
import java.util.Map;

/**
 * The records only some stages make, as they hand them to the run store: the dataset (ingest), the candidates
 * (train), the model version and the run's flat metrics and params (select), the exports (quantize), the blessing
 * (bless), the image (deploy). JSON columns travel as JSON text.
 */
public record Products(
        Dataset dataset,
        List<Candidate> candidates,
        Version modelVersion,
        Export export,
        Deployment deployment,
        RunLog runLog,
        Blessing blessing) {
    public static final Products NONE = new Products(null, List.of(), null, null, null, null, null);

    public Products {
        candidates = List.copyOf(candidates);
    }

    /** The dataset a run read, as profiled by ingestion. */
    public record Dataset(
            String source,
            String sha256,
            long bytes,
            long rows,
            int columns,
            String schemaJson,
            String columnStatsJson) {}

    /** One trained candidate and its epochs. */
    public record Candidate(
            int index,
            String paramsJson,
            boolean usable,
            Integer bestEpoch,
            int stoppedEpoch,
            String stopReason,
            Double bestValidationLoss,
            Double bestValidationMetric,
            String device,
            double seconds,
            String rungsJson,
            List<Epoch> epochs) {}

    public record Epoch(
            int epoch,
            double trainLoss,
            double validationLoss,
            double validationMetric,
            double learningRate,
            double seconds) {}

    /**
     * A model version to register: the next version number of {@code modelName} is assigned on insert. Its
     * parameters are the stage's {@link Artifact#MODEL} artifact; its transform is the run's
     * {@link Artifact#TRANSFORM} one.
     */
    public record Version(
            String modelName,
            int candidate,
            String datasetSha256,
            String metricsJson,
            String baselineJson,
            String paramsJson,
            int bestEpoch,
            int stoppedEpoch,
            String stopReason,
            String device) {}

    /**
     * The ONNX exports of the run's model version: FP32 ({@link Artifact#ONNX_FP32}) and INT8
     * ({@link Artifact#ONNX_INT8}, absent when it could not be built), their metrics and latencies, and the gate's choice.
     */
    public record Export(String fp32Json, String int8Json, String chosen, String reason) {}

    /** An image built for the run's model version. */
    public record Deployment(
            String target, String image, String digest, String imageId, String tarFile, String status) {}

    /**
     * A run's flat metrics and params, as registry filters see them ({@code metrics.rmse}, {@code params.batchSize});
     * NaN and infinite metrics are kept.
     */
    public record RunLog(Map<String, Double> metrics, Map<String, String> params) {}

    /**
     * The evaluation gate's decision for the run's model version. The champion fields are null when there was
     * none to compare with. When blessed, {@code alias} moves to the version in the same transaction.
     */
    public record Blessing(
            boolean blessed,
            String metric,
            String direction,
            double candidateValue,
            Integer championVersion,
            Double championValue,
            Double absoluteChange,
            Double relativeChange,
            String reason,
            String alias) {}

    public Products withDataset(Dataset value) {
        return new Products(value, candidates, modelVersion, export, deployment, runLog, blessing);
    }

    public Products withCandidates(List<Candidate> value) {
        return new Products(dataset, value, modelVersion, export, deployment, runLog, blessing);
    }

    public Products withModelVersion(Version value) {
        return new Products(dataset, candidates, value, export, deployment, runLog, blessing);
    }

    public Products withExport(Export value) {
        return new Products(dataset, candidates, modelVersion, value, deployment, runLog, blessing);
    }

    public Products withDeployment(Deployment value) {
        return new Products(dataset, candidates, modelVersion, export, value, runLog, blessing);
    }

    public Products withRunLog(RunLog value) {
        return new Products(dataset, candidates, modelVersion, export, deployment, value, blessing);
    }

    public Products withBlessing(Blessing value) {
        return new Products(dataset, candidates, modelVersion, export, deployment, runLog, value);
    }
}
