package dev.caravan.pipeline;

import dev.caravan.registry.PipelineLock;
import dev.caravan.registry.RunStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * each run gets a row in the run store, an artifact folder, and a heartbeat while it runs.
 */
public final class PipelineRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
    private static final String ROUTES = "classpath:routes/pipeline.yaml";
    private static final long HEARTBEAT_SECONDS = 10;

    /** The stages, in route order, with their bodies; the routes refer to them by name. */
    private static final Map<String, Function<RunState, StageReport>> STAGES = Map.ofEntries(
            Map.entry("validate", PipelineRunner::validate),
            Map.entry("ingest", Stages::ingest),
            Map.entry("clean", Stages::clean),
            Map.entry("split", Stages::split),
            Map.entry("transform", Stages::transform),
            Map.entry("train", Stages::train),
            Map.entry("select", Stages::select),
            Map.entry("export", ExportStages::export),
            Map.entry("quantize", ExportStages::quantize),
            Map.entry("deploy", DeployStage::deploy));

    private final RunStore store;
    private final Path runsRoot;
    private final Main camel;
    private final ProducerTemplate template;

    /** Starts Camel on the pipeline routes; runs keep their artifacts under {@code runsRoot/<run id>}. */
    public PipelineRunner(RunStore store, Path runsRoot) {
        this.store = store;
        this.runsRoot = runsRoot;
        this.camel = new Main();
        camel.configure().withRoutesIncludePattern(ROUTES);
        STAGES.forEach((name, body) -> camel.bind(name, new RecordedStage(name, store, body)));
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
     * @throws PipelineBusyException when another run of this pipeline holds the lock (nothing is recorded)
     */
    public RunResult run(PipelineSpec spec, String trigger) {
        try (PipelineLock lock = lock(spec)) {
            return execute(begin(spec, trigger));
        }
    }

    /** The pipeline's lock, held until closed. */
    PipelineLock lock(PipelineSpec spec) {
        return store.tryLockPipeline(spec.name).orElseThrow(() -> new PipelineBusyException(spec.name));
    }

    /** Records a new RUNNING run of the spec (the caller holds the pipeline's lock). */
    RunState begin(PipelineSpec spec, String trigger) {
        UUID runId = UUID.randomUUID();
        Path artifactDir = runsRoot.resolve(runId.toString()).toAbsolutePath();
        store.startRun(runId, spec.name, trigger, Json.write(spec), artifactDir.toString(), spec.tags);
        LOG.info("run {} of pipeline '{}' started; artifacts in {}", runId, spec.name, artifactDir);
        return new RunState(runId, spec, artifactDir);
    }

    /** Runs the stages of a begun run, with a heartbeat, and records how it ended. */
    RunResult execute(RunState state) {
        UUID runId = state.runId();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "caravan-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleAtFixedRate(() -> beat(runId), HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
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
