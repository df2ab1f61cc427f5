package dev.caravan.pipeline;

import dev.caravan.clean.CleanResult;
import dev.caravan.data.ColumnType;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Split;
import dev.caravan.ingest.IngestResult;
import dev.caravan.train.Selection;
import dev.caravan.train.TrainedCandidate;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The body of the pipeline's exchange: which run this is, and the typed artifact each finished stage handed on.
 * Also tracks the stage now running, so that a failure can be pinned on it.
 */
public final class RunState {
    private final UUID runId;
    private final PipelineSpec spec;
    private final Path artifactDir;
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

    RunState(UUID runId, PipelineSpec spec, Path artifactDir) {
        this.runId = runId;
        this.spec = spec;
        this.artifactDir = artifactDir;
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
