package dev.caravan.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The rows the run store reads and writes. JSON columns travel as JSON text. */
public final class Records {
    private Records() {
    }

    /** A file a stage wrote, with its content hash. */
    public record Artifact(String kind, String path, String sha256, long bytes) {
    }

    /** The dataset a run read, as profiled by ingestion. */
    public record Dataset(String source, String sha256, long bytes, long rows, int columns, String schemaJson,
            String columnStatsJson) {
    }

    /** What a succeeded stage produced; saved in one transaction. */
    public record StageOutcome(long stageRunId, Long rowsIn, Long rowsOut, String metricsJson,
            List<Artifact> artifacts, Products products) {
        public StageOutcome {
            artifacts = List.copyOf(artifacts);
        }
    }

    /**
     * The records only some stages make: the dataset (ingest), the candidates (train), the model version and the
     * run's flat metrics and params (select), the exports (quantize), the blessing (bless), the image (deploy).
     */
    public record Products(Dataset dataset, List<Candidate> candidates, ModelVersionDraft modelVersion,
            ModelExport export, Deployment deployment, RunLog runLog, Blessing blessing) {
        public static final Products NONE = new Products(null, List.of(), null, null, null, null, null);

        public Products {
            candidates = List.copyOf(candidates);
        }

        public Products withDataset(Dataset value) {
            return new Products(value, candidates, modelVersion, export, deployment, runLog, blessing);
        }

        public Products withCandidates(List<Candidate> value) {
            return new Products(dataset, value, modelVersion, export, deployment, runLog, blessing);
        }

        public Products withModelVersion(ModelVersionDraft value) {
            return new Products(dataset, candidates, value, export, deployment, runLog, blessing);
        }

        public Products withExport(ModelExport value) {
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

    /** A run's flat metrics and params, as registry filters see them ({@code metrics.rmse}, {@code params.batchSize}). */
    public record RunLog(Map<String, Double> metrics, Map<String, String> params) {
    }

    /**
     * The evaluation gate's decision for the run's model version. The champion fields are null when there was
     * none to compare with. When blessed, {@code alias} moves to the version in the same transaction.
     */
    public record Blessing(boolean blessed, String metric, String direction, double candidateValue,
            Integer championVersion, Double championValue, Double absoluteChange, Double relativeChange,
            String reason, String alias) {
    }

    /** One trained candidate and its epochs. */
    public record Candidate(int index, String paramsJson, boolean usable, Integer bestEpoch, int stoppedEpoch,
            String stopReason, Double bestValidationLoss, Double bestValidationMetric, String device, double seconds,
            List<Epoch> epochs) {
    }

    public record Epoch(int epoch, double trainLoss, double validationLoss, double validationMetric,
            double learningRate, double seconds) {
    }

    /**
     * A model version to register: the next version number of {@code modelName} is assigned on insert. Its
     * parameters are the stage's artifact of kind {@code paramsArtifactKind}; its transform is the run's
     * {@code transform} artifact.
     */
    public record ModelVersionDraft(String modelName, int candidate, String datasetSha256, String paramsArtifactKind,
            String metricsJson, String baselineJson, String paramsJson, int bestEpoch, int stoppedEpoch,
            String stopReason, String device) {
    }

    /**
     * The ONNX exports of the run's model version: FP32 (artifact kind {@code onnx-fp32}) and INT8
     * ({@code onnx-int8}, absent when it could not be built), their metrics and latencies as JSON, and the gate's
     * choice with its reason.
     */
    public record ModelExport(String fp32Json, String int8Json, String chosen, String reason) {
    }

    /** An image built for the run's model version. */
    public record Deployment(String target, String image, String digest, String imageId, String tarFile,
            String status) {
    }

    /** The ONNX file the gate chose for a model version: what a server loads. */
    public record DeployableModel(String name, int version, String path, String sha256, String precision) {
    }

    /** A registered model version, as the run report shows it. */
    public record ModelVersion(String modelName, int version, int candidate, String datasetSha256,
            String metricsJson, String baselineJson, String paramsJson, int bestEpoch, int stoppedEpoch,
            String stopReason, String device) {
    }

    public record Run(UUID id, String pipeline, String trigger, String status, String configJson,
            String artifactDir, Instant startedAt, Instant finishedAt, Instant heartbeatAt, String failedStage,
            String error) {
    }

    /** One attempt of a stage; {@code cachedFromRun} names the run whose identical stage it reused, if any. */
    public record StageRun(long id, String stage, int attempt, String status, Instant startedAt,
            Instant finishedAt, Long rowsIn, Long rowsOut, String error, String metricsJson, UUID cachedFromRun) {
    }

    public record StoredArtifact(String stage, String kind, String path, String sha256, long bytes) {
    }

    /** A succeeded stage run that the step cache may reuse, with everything it recorded. */
    public record CachedStage(long stageRunId, UUID runId, List<StoredArtifact> artifacts) {
    }

    /** A run with everything recorded about it. */
    public record RunDetail(Run run, List<StageRun> stages, Dataset dataset, List<StoredArtifact> artifacts,
            List<Candidate> candidates, ModelVersion modelVersion, ModelExport export, Deployment deployment) {
    }
}
