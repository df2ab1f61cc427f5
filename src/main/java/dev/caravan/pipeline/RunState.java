package dev.caravan.pipeline;

import dev.caravan.data.CaravanException.Kind;
import dev.caravan.data.ColumnType;
import dev.caravan.registry.Registry;
import dev.caravan.registry.Runs;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.spec.StageFactory;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The body of the pipeline's exchange: which run this is, and the typed output each finished stage handed on, by
 * stage. Also tracks the stage now running, so that a failure can be pinned on it.
 */
public final class RunState {
    private final UUID runId;
    private final PipelineSpec spec;
    private final StageFactory factory;
    private final Path artifactDir;
    private final Registry registry;
    private final boolean useCache;
    private final Map<Stage<?>, Object> outputs = new HashMap<>();
    /** Each finished stage's checkpoint sha256, in stage order: the inputs of the next stage's cache key. */
    private final Map<String, String> checkpoints = new LinkedHashMap<>();
    /** Stages a resumed run restored from its checkpoints: they do not run again. */
    private final Set<Stage<?>> restored = new HashSet<>();
    /** The version the select stage registered, once it has. */
    private Integer modelVersion;
    // shared with caravan server's shutdown thread, which records an unfinished run as failed
    private volatile Stage<?> currentStage;
    private volatile Long currentStageRunId;
    private final AtomicReference<Failure> failure = new AtomicReference<>();

    RunState(UUID runId, PipelineSpec spec, Path artifactDir, Registry registry, boolean useCache) {
        this.runId = runId;
        this.spec = spec;
        this.factory = new StageFactory(spec);
        this.artifactDir = artifactDir;
        this.registry = registry;
        this.useCache = useCache;
    }

    /** What {@code stage} handed on. */
    <T> T output(Stage<T> stage) {
        Object output = outputs.get(stage);
        if (output == null) {
            throw new IllegalStateException("stage " + stage + " has not run in run " + runId);
        }
        return stage.output().cast(output);
    }

    /** Keeps what a stage handed on, as if it had just run: its fresh output, a checkpoint or a cached one. */
    void put(Stage<?> stage, Object output) {
        outputs.put(stage, stage.output().cast(output));
    }

    Registry registry() {
        return registry;
    }

    StageFactory factory() {
        return factory;
    }

    boolean useCache() {
        return useCache;
    }

    void recordCheckpoint(Stage<?> stage, String sha256) {
        checkpoints.put(stage.name(), sha256);
    }

    Map<String, String> checkpoints() {
        return Collections.unmodifiableMap(checkpoints);
    }

    void markRestored(Stage<?> stage) {
        restored.add(stage);
    }

    boolean isRestored(Stage<?> stage) {
        return restored.contains(stage);
    }

    Integer modelVersion() {
        return modelVersion;
    }

    void recordModelVersion(Integer version) {
        modelVersion = version;
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

    void enterStage(Stage<?> stage, long stageRunId) {
        currentStage = stage;
        currentStageRunId = stageRunId;
    }

    void leaveStage() {
        currentStage = null;
        currentStageRunId = null;
    }

    /** The stage now running, as records name it ({@link Runs#BETWEEN_STAGES} between stages). */
    String currentStageName() {
        Stage<?> stage = currentStage;
        return stage == null ? Runs.BETWEEN_STAGES : stage.name();
    }

    Long currentStageRunId() {
        return currentStageRunId;
    }

    /** Why the run failed, and what kind of failure it was. */
    record Failure(String message, Kind kind) {}

    /**
     * Records the run's failure, unless one is recorded already: the first cause stands (a run abandoned at
     * shutdown stays abandoned when its own thread then fails).
     */
    void fail(String message, Kind kind) {
        failure.compareAndSet(null, new Failure(message, kind));
    }

    /** The failure, or null if the run has not failed. */
    Failure failure() {
        return failure.get();
    }

    /** Whether the task is classification: as configured, else inferred from the target's type. */
    boolean isClassification() {
        if (spec.task != null) {
            return spec.task == PipelineSpec.Task.CLASSIFICATION;
        }
        return output(PipelineStages.INGEST).table().column(spec.target).type() != ColumnType.NUMERIC;
    }
}
