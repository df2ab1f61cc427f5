package dev.caravan.pipeline;

import dev.caravan.clean.CleanResult;
import dev.caravan.data.ColumnType;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Split;
import dev.caravan.ingest.IngestResult;
import dev.caravan.registry.RunStore;
import dev.caravan.train.Selection;
import dev.caravan.train.TrainedCandidate;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The body of the pipeline's exchange: which run this is, and the typed artifact each finished stage handed on.
 * Also tracks the stage now running, so that a failure can be pinned on it.
 */
public final class RunState {
    private final UUID runId;
    private final PipelineSpec spec;
    private final Path artifactDir;
    private final RunStore store;
    private final boolean useCache;
    /** Each finished stage's checkpoint sha256, in stage order: the inputs of the next stage's cache key. */
    private final Map<String, String> checkpoints = new LinkedHashMap<>();
    /** Stages a resumed run restored from its checkpoints: they do not run again. */
    private final Set<String> restored = new HashSet<>();
    // volatile: caravan server's shutdown reads and sets them from another thread to record an unfinished run
    private volatile String currentStage;
    private volatile Long currentStageRunId;
    private volatile String failure;
    private volatile boolean failedOnConfig;

    IngestResult ingested;
    CleanResult cleaned;
    Split split;
    EncodedSplits encoded;
    List<TrainedCandidate> trained;
    Selection selection;
    Integer modelVersion;
    byte[] fp32Model;
    String transformSha256;
    Path deployableModel;
    /** The test metrics of the export the quantize gate chose: what blessing compares. */
    Map<String, Double> deployableMetrics;

    RunState(UUID runId, PipelineSpec spec, Path artifactDir, RunStore store, boolean useCache) {
        this.runId = runId;
        this.spec = spec;
        this.artifactDir = artifactDir;
        this.store = store;
        this.useCache = useCache;
    }

    /** What quantize hands on: the chosen ONNX file and its test metrics. */
    record Quantized(String deployableModel, Map<String, Double> metrics) implements Serializable {
    }

    /** What transform hands on: the encoded splits and the sha256 of transform.json. */
    record Transformed(EncodedSplits encoded, String transformSha256) implements Serializable {
    }

    /** Puts a stage's checkpoint back, as if the stage had just run. */
    @SuppressWarnings("unchecked")
    void restore(String stage, Serializable checkpoint) {
        switch (stage) {
            case "ingest" -> ingested = (IngestResult) checkpoint;
            case "clean" -> cleaned = (CleanResult) checkpoint;
            case "split" -> split = (Split) checkpoint;
            case "transform" -> {
                encoded = ((Transformed) checkpoint).encoded();
                transformSha256 = ((Transformed) checkpoint).transformSha256();
            }
            case "train" -> trained = (List<TrainedCandidate>) checkpoint;
            case "select" -> selection = (Selection) checkpoint;
            case "export" -> fp32Model = (byte[]) checkpoint;
            case "quantize" -> {
                deployableModel = Path.of(((Quantized) checkpoint).deployableModel());
                deployableMetrics = ((Quantized) checkpoint).metrics();
            }
            default -> throw new IllegalArgumentException("stage " + stage + " has no checkpoint");
        }
    }

    RunStore store() {
        return store;
    }

    boolean useCache() {
        return useCache;
    }

    void recordCheckpoint(String stage, String sha256) {
        checkpoints.put(stage, sha256);
    }

    Map<String, String> checkpoints() {
        return Collections.unmodifiableMap(checkpoints);
    }

    void markRestored(String stage) {
        restored.add(stage);
    }

    boolean isRestored(String stage) {
        return restored.contains(stage);
    }

    public UUID runId() {
        return runId;
    }

    public PipelineSpec spec() {
        return spec;
    }

    public Path artifactDir() {
        return artifactDir;
    }

    void enterStage(String stage, long stageRunId) {
        currentStage = stage;
        currentStageRunId = stageRunId;
    }

    void leaveStage() {
        currentStage = null;
        currentStageRunId = null;
    }

    String currentStage() {
        return currentStage;
    }

    Long currentStageRunId() {
        return currentStageRunId;
    }

    void fail(String message, boolean configError) {
        failure = message;
        failedOnConfig = configError;
    }

    /** Whether the run failed on a bad setting rather than on bad data or a fault. */
    boolean failedOnConfig() {
        return failedOnConfig;
    }

    /** The one-line cause of failure, or null if the run has not failed. */
    public String failure() {
        return failure;
    }

    /** Whether the task is classification: as configured, else inferred from the target's type. */
    boolean isClassification() {
        if (spec.task != null) {
            return spec.task.equals("classification");
        }
        return ingested.table().column(spec.target).type() != ColumnType.NUMERIC;
    }
}
