package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CaravanException.Kind;
import dev.caravan.data.Json;
import dev.caravan.registry.Artifact;
import dev.caravan.registry.PipelineLock;
import dev.caravan.registry.Registry;
import dev.caravan.registry.Runs;
import dev.caravan.registry.entity.RunDetail;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.registry.entity.StoredArtifact;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.spec.SpecLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipelines through the Camel routes of {@code routes/pipeline.yaml}, one {@link RecordedStage} per stage of
 * {@link PipelineStages}. Each run gets a row in the run store, an artifact folder, and a heartbeat while it runs.
 * Runs of one pipeline never overlap: each holds the pipeline's lock in PostgreSQL.
 */
public final class PipelineRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final Registry registry;
    private final Path runsRoot;
    private final Duration heartbeatInterval;
    private final CamelHost camel;
    private final boolean ownsCamel;
    private ProducerTemplate template;

    /**
     * A runner on a Camel host shared with other routes (the REST API's); its beans are bound now, and
     * {@link #start} starts the host.
     *
     * @param runsRoot runs keep their artifacts under {@code runsRoot/<run id>}
     * @param heartbeatTimeout after how long without a heartbeat a run counts as abandoned; runs beat six times
     *     as often
     */
    public PipelineRunner(Registry registry, Path runsRoot, Duration heartbeatTimeout, CamelHost camel) {
        this(registry, runsRoot, heartbeatTimeout, camel, false);
    }

    private PipelineRunner(
            Registry registry, Path runsRoot, Duration heartbeatTimeout, CamelHost camel, boolean ownsCamel) {
        this.registry = registry;
        this.runsRoot = runsRoot;
        this.heartbeatInterval = heartbeatTimeout.dividedBy(6);
        this.camel = camel;
        this.ownsCamel = ownsCamel;
        for (Stage<?> stage : PipelineStages.ALL) {
            camel.bind(stage.name(), new RecordedStage<>(stage));
        }
        camel.bind(PipelineRoute.FAILURE_HANDLER, new RunFailureHandler(registry.runs()));
        camel.checkBeforeStart(PipelineRoute::check);
    }

    /** A started runner on Camel routes of its own, closed with it. */
    public static PipelineRunner start(Registry registry, Path runsRoot, Duration heartbeatTimeout) {
        PipelineRunner runner = new PipelineRunner(
                registry, runsRoot, heartbeatTimeout, new CamelHost(CamelHost.PIPELINE_ROUTES), true);
        try {
            runner.start();
            return runner;
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /**
     * Checks the pipeline's routes against the stage model, then starts the Camel host (every route it loads).
     *
     * @throws CaravanException when the route file disagrees with the stage model, naming the first difference
     */
    public void start() {
        camel.start();
        template = camel.context().createProducerTemplate();
    }

    /** The outcome of one run: its id, and the one-line failure and its kind (both null when it succeeded). */
    public record RunResult(UUID runId, String failure, Kind failureKind) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * Runs the spec to the end or to its first failure; either way the run is recorded. Holds the pipeline's lock
     * throughout, so that no two runs of one pipeline overlap, even from two processes.
     *
     * @param useCache whether stages may reuse the results of earlier identical stage runs
     * @throws CaravanException BUSY when another run of this pipeline holds the lock (nothing is recorded)
     */
    public RunResult run(PipelineSpec spec, String trigger, boolean useCache) {
        try (PipelineLock lock = lock(spec)) {
            return execute(begin(spec, trigger, useCache), lock);
        }
    }

    /** Records a new RUNNING run of the spec (the caller holds the pipeline's lock). */
    RunState begin(PipelineSpec spec, String trigger, boolean useCache) {
        UUID runId = UUID.randomUUID();
        Path artifactDir = artifactDir(runId);
        registry.runs().start(runId, spec.name, trigger, Json.write(spec), artifactDir.toString(), spec.tags);
        return begun(runId, spec, artifactDir, useCache);
    }

    /**
     * Records the run of a schedule's firing, as {@link #begin} does; empty, and nothing recorded, when that firing
     * already has its run (another server fired it too).
     */
    Optional<RunState> beginFiring(PipelineSpec spec, Runs.Firing firing) {
        UUID runId = UUID.randomUUID();
        Path artifactDir = artifactDir(runId);
        if (!registry.runs()
                .startFiring(runId, spec.name, Json.write(spec), artifactDir.toString(), spec.tags, firing)) {
            return Optional.empty();
        }
        return Optional.of(begun(runId, spec, artifactDir, true));
    }

    private Path artifactDir(UUID runId) {
        return runsRoot.resolve(runId.toString()).toAbsolutePath();
    }

    private RunState begun(UUID runId, PipelineSpec spec, Path artifactDir, boolean useCache) {
        LOG.info("run {} of pipeline '{}' started; artifacts in {}", runId, spec.name, artifactDir);
        return new RunState(runId, spec, artifactDir, registry, useCache);
    }

    /**
     * Continues a FAILED run from its first stage that did not succeed. The finished stages' checkpoints are
     * restored after their sha256 is verified; from the first one that fails verification on, stages run again.
     */
    public RunResult resume(UUID runId, boolean useCache) {
        Reopened reopened = reopen(runId, useCache);
        try (PipelineLock lock = reopened.lock()) {
            return execute(reopened.state(), lock);
        }
    }

    /** A FAILED run reopened under its pipeline's lock, ready to {@link #execute}; the caller closes the lock. */
    record Reopened(RunState state, PipelineLock lock) {}

    /** Restores a FAILED run's finished stages, takes its pipeline's lock and marks it RUNNING again. */
    Reopened reopen(UUID runId, boolean useCache) {
        RunDetail detail = registry.runQueries()
                .detail(runId)
                .orElseThrow(() -> CaravanException.notFound("no run with id " + runId));
        if (detail.run().status() != RunStatus.FAILED) {
            throw new IllegalArgumentException(
                    "run " + runId + " is " + detail.run().status() + "; only a FAILED run can be resumed");
        }
        PipelineSpec spec = SpecLoader.fromJson(registry.runs().config(runId).orElseThrow());
        PipelineLock lock = lock(spec);
        try {
            RunState state = new RunState(runId, spec, Path.of(detail.run().artifactDir()), registry, useCache);
            Stage<?> resumeAt = restoreFinishedStages(detail, state);
            if (!registry.runs().reopen(runId)) {
                throw new IllegalArgumentException("run " + runId + " is no longer FAILED");
            }
            LOG.info(
                    "run {} of pipeline '{}' resumed at stage {}",
                    runId,
                    spec.name,
                    resumeAt == null ? "(none: every stage had succeeded)" : resumeAt);
            return new Reopened(state, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Restores the longest prefix of succeeded stages whose checkpoints verify; returns the stage to run next (null
     * when all had succeeded). Refuses when that would run {@code select} again for a run that registered a version:
     * one run, one version.
     */
    private static Stage<?> restoreFinishedStages(RunDetail detail, RunState state) {
        for (Stage<?> stage : PipelineStages.ALL) {
            if (!succeeded(detail, stage) || !restore(detail, state, stage)) {
                requireNoVersionBefore(detail, stage);
                return stage;
            }
            if (stage.equals(PipelineStages.SELECT) && detail.model() != null) {
                state.recordModelVersion(detail.model().version());
            }
            state.markRestored(stage);
        }
        return null;
    }

    /** Restores the stage's newest checkpoint, if it hands one on; false when it is missing, altered or unreadable. */
    private static boolean restore(RunDetail detail, RunState state, Stage<?> stage) {
        if (!stage.handsOn()) {
            return true;
        }
        Optional<StoredArtifact> checkpoint = detail.artifacts().stream()
                .filter(a -> a.stage().equals(stage.name()) && a.kind().equals(Artifact.CHECKPOINT))
                .reduce((older, newer) -> newer);
        if (checkpoint.isEmpty()) {
            LOG.warn("{}: its checkpoint was never recorded; running it again", stage);
            return false;
        }
        try {
            state.put(
                    stage,
                    Checkpoints.read(
                            Path.of(checkpoint.get().path()), checkpoint.get().sha256()));
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot reuse its checkpoint ({}); running it again", stage, e.getMessage());
            return false;
        }
        state.recordCheckpoint(stage, checkpoint.get().sha256());
        return true;
    }

    private static void requireNoVersionBefore(RunDetail detail, Stage<?> stage) {
        if (detail.model() != null && PipelineStages.notAfter(stage, PipelineStages.SELECT)) {
            throw new IllegalArgumentException("run " + detail.run().runId() + " registered version "
                    + detail.model().version() + " of " + detail.model().name() + ", but stage " + stage
                    + " would have to run again (its checkpoint is missing or altered), which would register a second"
                    + " version; start a new run instead (caravan run)");
        }
    }

    private static boolean succeeded(RunDetail detail, Stage<?> stage) {
        return detail.stages().stream()
                .anyMatch(s -> s.name().equals(stage.name()) && s.status() == RunStatus.SUCCEEDED);
    }

    /** The pipeline's lock, held until closed. */
    PipelineLock lock(PipelineSpec spec) {
        return registry.runs()
                .tryLock(spec.name)
                .orElseThrow(() -> CaravanException.busy("pipeline '" + spec.name
                        + "' is already running (another run holds its lock); try again when it ends"));
    }

    /**
     * Runs the stages of a begun (or resumed) run, with a heartbeat that also checks the pipeline's lock, and records
     * how it ended.
     */
    RunResult execute(RunState state, PipelineLock lock) {
        UUID runId = state.runId();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "caravan-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(1, heartbeatInterval.toMillis());
        var beating = heartbeat.scheduleAtFixedRate(() -> beat(state, lock), interval, interval, TimeUnit.MILLISECONDS);
        try {
            template.sendBody("direct:" + PipelineRoute.ROUTE, state);
        } finally {
            beating.cancel(false);
            heartbeat.shutdownNow();
            awaitLastBeat(heartbeat);
        }
        RunState.Failure failure = state.failure();
        if (failure == null) {
            registry.runs().finish(runId);
            LOG.info("run {} succeeded", runId);
            return new RunResult(runId, null, null);
        }
        return new RunResult(runId, failure.message(), failure.kind());
    }

    /** A beat still checking the lock must end before the caller releases it. */
    private static void awaitLastBeat(ScheduledExecutorService heartbeat) {
        try {
            heartbeat.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records a run that will not finish in this process as FAILED, with the stage it was in and why; the run's
     * own thread then leaves that record alone.
     */
    void abandon(RunState state, String why) {
        String stage = state.currentStageName();
        state.fail(stage + ": " + why, Kind.UNAVAILABLE);
        registry.runs().fail(state.runId(), state.currentStageRunId(), stage, why);
    }

    /**
     * Beats, and checks that the run still holds its pipeline's lock: one that lost it (its session died and another
     * process took the lock) stops, recorded FAILED. One missed heartbeat must not cancel the next ones (a scheduled
     * task that throws is never run again).
     */
    private void beat(RunState state, PipelineLock lock) {
        UUID runId = state.runId();
        try {
            registry.runs().heartbeat(runId);
            PipelineLock.State held = lock.check();
            if (held == PipelineLock.State.RETAKEN) {
                LOG.warn("run {}: the database session holding its pipeline's lock had ended; took it again", runId);
            } else if (held == PipelineLock.State.LOST && state.failure() == null) {
                LOG.error("run {} lost its pipeline's lock to another process; stopping it", runId);
                abandon(state, "lost the pipeline lock: its database session ended and another process took the lock");
            }
        } catch (Throwable e) { // an Error too: the next beat must still come
            LOG.warn("heartbeat of run {} failed: {}", runId, e.toString());
        }
    }

    @Override
    public void close() {
        if (template != null) {
            try {
                template.close();
            } catch (Exception e) {
                LOG.debug("closing the producer template", e);
            }
        }
        if (ownsCamel) {
            camel.close();
        }
    }
}
