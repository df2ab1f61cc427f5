package dev.caravan.pipeline;

import dev.caravan.registry.PipelineLock;
import dev.caravan.registry.Records.RunDetail;
import dev.caravan.registry.Records.StoredArtifact;
import dev.caravan.registry.RunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipelines through the Camel routes in {@code routes/pipeline.yaml}. Camel Main starts once per runner;
 * each run gets a row in the run store, an artifact folder, and a heartbeat while it runs. Runs of one pipeline
 * never overlap: each holds the pipeline's lock in PostgreSQL.
 */
public final class PipelineRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
    private static final String ROUTES = "classpath:routes/pipeline.yaml";

    /** A stage: its body, and the settings its output depends on (null: never cached). */
    private record StageDefinition(String name, Function<RunState, StageReport> body,
            Function<PipelineSpec, Object> cacheConfig) {
    }

    /** The stages in route order; the routes refer to them by name. */
    private static final List<StageDefinition> STAGES = List.of(
            new StageDefinition("validate", PipelineRunner::validate, null),
            new StageDefinition("ingest", Stages::ingest, spec -> spec.data),
            new StageDefinition("clean", Stages::clean, spec -> Arrays.asList(spec.cleaning, spec.target, spec.task)),
            new StageDefinition("split", Stages::split, spec -> Arrays.asList(spec.split, spec.target, spec.task)),
            new StageDefinition("transform", Stages::transform,
                    spec -> Arrays.asList(spec.transform, spec.target, spec.task)),
            new StageDefinition("train", Stages::train,
                    spec -> Arrays.asList(spec.training, spec.target, spec.task, spec.device().toString())),
            new StageDefinition("select", Stages::select, null),
            new StageDefinition("export", ExportStages::export, null),
            new StageDefinition("quantize", ExportStages::quantize, null),
            new StageDefinition("bless", BlessStage::bless, null),
            new StageDefinition("deploy", DeployStage::deploy, null));

    private final RunStore store;
    private final Path runsRoot;
    private final Duration heartbeatInterval;
    private final Main camel;
    private final ProducerTemplate template;

    /**
     * Starts Camel on the pipeline routes; runs keep their artifacts under {@code runsRoot/<run id>}.
     *
     * @param heartbeatTimeout after how long without a heartbeat a run counts as abandoned; runs beat six times
     *     as often
     */
    public PipelineRunner(RunStore store, Path runsRoot, Duration heartbeatTimeout) {
        this.store = store;
        this.runsRoot = runsRoot;
        this.heartbeatInterval = heartbeatTimeout.dividedBy(6);
        this.camel = new Main();
        camel.configure().withRoutesIncludePattern(ROUTES);
        for (StageDefinition stage : STAGES) {
            camel.bind(stage.name(), new RecordedStage(stage.name(), store, stage.body(), stage.cacheConfig()));
        }
        camel.bind("runFailureHandler", new RunFailureHandler(store));
        try {
            camel.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Camel routes " + ROUTES + ": " + e.getMessage(), e);
        }
        this.template = camel.getCamelContext().createProducerTemplate();
    }

    /** The outcome of one run: its id, and the one-line failure (null when it succeeded). */
    public record RunResult(UUID runId, String failure, boolean configError) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * Runs the spec to the end or to its first failure; either way the run is recorded. Holds the pipeline's
     * lock throughout, so that no two runs of one pipeline overlap, even from two processes.
     *
     * @param useCache whether stages may reuse the results of earlier identical stage runs
     * @throws PipelineBusyException when another run of this pipeline holds the lock (nothing is recorded)
     */
    public RunResult run(PipelineSpec spec, String trigger, boolean useCache) {
        try (PipelineLock lock = lock(spec)) {
            return execute(begin(spec, trigger, useCache));
        }
    }

    /** Records a new RUNNING run of the spec (the caller holds the pipeline's lock). */
    RunState begin(PipelineSpec spec, String trigger, boolean useCache) {
        UUID runId = UUID.randomUUID();
        Path artifactDir = runsRoot.resolve(runId.toString()).toAbsolutePath();
        store.startRun(runId, spec.name, trigger, Json.write(spec), artifactDir.toString(), spec.tags);
        LOG.info("run {} of pipeline '{}' started; artifacts in {}", runId, spec.name, artifactDir);
        return new RunState(runId, spec, artifactDir, store, useCache);
    }

    /**
     * Continues a FAILED run from its first stage that did not succeed. The finished stages' checkpoints are
     * restored after their sha256 is verified; from the first one that fails verification on, stages run again.
     */
    public RunResult resume(UUID runId, boolean useCache) {
        RunDetail detail = store.findRun(runId.toString())
                .orElseThrow(() -> new IllegalArgumentException("no run with id " + runId));
        if (!detail.run().status().equals("FAILED")) {
            throw new IllegalArgumentException("run " + runId + " is " + detail.run().status()
                    + "; only a FAILED run can be resumed");
        }
        PipelineSpec spec = PipelineSpec.fromJson(detail.run().configJson());
        try (PipelineLock lock = lock(spec)) {
            RunState state = new RunState(runId, spec, Path.of(detail.run().artifactDir()), store, useCache);
            String resumeAt = restoreFinishedStages(detail, state);
            if (!store.reopenRun(runId)) {
                throw new IllegalArgumentException("run " + runId + " is no longer FAILED");
            }
            LOG.info("run {} of pipeline '{}' resumed at stage {}", runId, spec.name, resumeAt);
            return execute(state);
        }
    }

    /**
     * Restores the longest prefix of succeeded stages whose checkpoints verify; returns the stage to run next.
     * Refuses when that would run {@code select} again for a run that registered a version: one run, one version.
     */
    private static String restoreFinishedStages(RunDetail detail, RunState state) {
        for (StageDefinition stage : STAGES) {
            if (!succeeded(detail, stage.name()) || !restore(detail, state, stage.name())) {
                requireNoVersionBefore(detail, stage.name());
                return stage.name();
            }
            if (stage.name().equals("select") && detail.modelVersion() != null) {
                state.modelVersion = detail.modelVersion().version();
            }
            state.markRestored(stage.name());
        }
        return "(none: every stage had succeeded)";
    }

    /** Restores the stage's newest checkpoint, if it has one; false when it is missing, altered or unreadable. */
    private static boolean restore(RunDetail detail, RunState state, String stage) {
        Optional<StoredArtifact> checkpoint = detail.artifacts().stream()
                .filter(a -> a.stage().equals(stage) && a.kind().equals(Checkpoints.KIND)).reduce((older, newer) -> newer);
        if (checkpoint.isEmpty()) {
            return true; // validate and deploy hand nothing on
        }
        try {
            state.restore(stage, Checkpoints.read(Path.of(checkpoint.get().path()), checkpoint.get().sha256()));
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot reuse its checkpoint ({}); running it again", stage, e.getMessage());
            return false;
        }
        state.recordCheckpoint(stage, checkpoint.get().sha256());
        return true;
    }

    private static void requireNoVersionBefore(RunDetail detail, String stage) {
        List<String> names = STAGES.stream().map(StageDefinition::name).toList();
        if (detail.modelVersion() != null && names.indexOf(stage) <= names.indexOf("select")) {
            throw new IllegalArgumentException("run " + detail.run().id() + " registered version "
                    + detail.modelVersion().version() + " of " + detail.modelVersion().modelName() + ", but stage "
                    + stage + " would have to run again (its checkpoint is missing or altered), which would register"
                    + " a second version; start a new run instead (caravan run)");
        }
    }

    private static boolean succeeded(RunDetail detail, String stage) {
        return detail.stages().stream().anyMatch(s -> s.stage().equals(stage) && s.status().equals("SUCCEEDED"));
    }

    /** The pipeline's lock, held until closed. */
    PipelineLock lock(PipelineSpec spec) {
        return store.tryLockPipeline(spec.name).orElseThrow(() -> new PipelineBusyException(spec.name));
    }

    /** Runs the stages of a begun (or resumed) run, with a heartbeat, and records how it ended. */
    RunResult execute(RunState state) {
        UUID runId = state.runId();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "caravan-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(1, heartbeatInterval.toMillis());
        heartbeat.scheduleAtFixedRate(() -> beat(runId), interval, interval, TimeUnit.MILLISECONDS);
        try {
            template.sendBody("direct:pipeline", state);
        } finally {
            heartbeat.shutdownNow();
        }
        if (state.failure() == null) {
            store.finishRun(runId);
            LOG.info("run {} succeeded", runId);
        }
        return new RunResult(runId, state.failure(), state.failedOnConfig());
    }

    /**
     * Records a run that will not finish in this process as FAILED, with the stage it was in and why; the run's
     * own thread then leaves that record alone.
     */
    void abandon(RunState state, String why) {
        String stage = state.currentStage() == null ? "pipeline" : state.currentStage();
        state.fail(stage + ": " + why, false);
        store.failRun(state.runId(), state.currentStageRunId(), stage, why);
    }

    /** One missed heartbeat must not cancel the next ones (a scheduled task that throws is never run again). */
    private void beat(UUID runId) {
        try {
            store.heartbeat(runId);
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of run {} failed: {}", runId, e.getMessage());
        }
    }

    private static StageReport validate(RunState state) {
        state.spec().validate();
        return new StageReport(null, null, Map.of("pipeline", state.spec().name), List.of());
    }

    @Override
    public void close() {
        try {
            template.close();
        } catch (Exception e) {
            LOG.debug("closing the producer template", e);
        }
        camel.stop();
    }
}
