package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.data.Sha256;
import dev.caravan.registry.Artifact;
import dev.caravan.registry.StageOutcome;
import dev.caravan.registry.StepCache.CachedStage;
import dev.caravan.registry.entity.StoredArtifact;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage as a Camel processor: opens its stage run, runs the body (or reuses a cached result), saves its output
 * as its checkpoint, and records the outcome in one transaction. A failure propagates to the routes' shared error
 * handler, which records it against this stage. Stages a resumed run restored are skipped.
 */
final class RecordedStage<T> implements Processor {
    /** Bumped when checkpoints change shape, so that old cache entries stop matching. */
    private static final int CHECKPOINT_FORMAT = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RecordedStage.class);

    private final Stage<T> stage;

    RecordedStage(Stage<T> stage) {
        this.stage = stage;
    }

    @Override
    public void process(Exchange exchange) {
        RunState state = exchange.getIn().getBody(RunState.class);
        if (state.isRestored(stage)) {
            LOG.info("{}: restored from the run's checkpoint", stage);
            return;
        }
        String cacheKey = cacheKey(state);
        state.enterStage(stage, state.registry().stages().start(state.runId(), stage.name(), cacheKey));
        long started = System.nanoTime();
        if (cacheKey == null || !state.useCache() || !reuseCached(state, cacheKey)) {
            runBody(state);
        }
        LOG.info("{}: done in {} ms", stage, (System.nanoTime() - started) / 1_000_000);
        state.leaveStage();
    }

    private void runBody(RunState state) {
        StageResult<T> result;
        try {
            result = stage.body().run(state);
        } catch (OutOfMemoryError e) {
            // Camel's error handler sees exceptions only: without this the run would stay RUNNING
            throw CaravanException.unavailable("out of memory; give the JVM more, e.g. CARAVAN_JAVA_OPTS=-Xmx8g", e);
        } catch (StackOverflowError | LinkageError e) {
            throw CaravanException.fault(e.toString(), e);
        }
        List<Artifact> artifacts = new ArrayList<>(result.artifacts());
        if (stage.handsOn()) {
            state.put(stage, result.output());
            Artifact checkpoint = Checkpoints.write(state.artifactDir(), stage, (Serializable) result.output());
            artifacts.add(checkpoint);
            state.recordCheckpoint(stage, checkpoint.sha256());
        }
        Integer version = state.registry()
                .stages()
                .finish(
                        state.runId(),
                        new StageOutcome(
                                state.currentStageRunId(),
                                result.rowsIn(),
                                result.rowsOut(),
                                Json.write(result.metrics()),
                                artifacts,
                                result.products()));
        if (version != null) {
            state.recordModelVersion(version);
        }
    }

    /**
     * Reuses the newest succeeded stage run with this key whose artifacts all still match their recorded sha256;
     * a missing or altered file means recomputing, never trusting it.
     */
    private boolean reuseCached(RunState state, String cacheKey) {
        Optional<CachedStage> cached = state.registry().cache().find(stage.name(), cacheKey);
        if (cached.isEmpty()) {
            return false;
        }
        CachedStage source = cached.get();
        Optional<String> damage = source.artifacts().stream()
                .filter(a -> !a.kind().equals(Artifact.CHECKPOINT))
                .map(RecordedStage::damage)
                .flatMap(Optional::stream)
                .findFirst();
        StoredArtifact checkpoint = source.artifacts().stream()
                .filter(a -> a.kind().equals(Artifact.CHECKPOINT))
                .findFirst()
                .orElseThrow();
        try {
            if (damage.isPresent()) {
                throw new IllegalStateException(damage.get());
            }
            state.put(stage, Checkpoints.read(Path.of(checkpoint.path()), checkpoint.sha256()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: cached result of run {} is unusable ({}); recomputing", stage, source.runId(), e.getMessage());
            return false;
        }
        state.recordCheckpoint(stage, checkpoint.sha256());
        state.registry().cache().reuse(state.runId(), state.currentStageRunId(), source.stageRunId());
        LOG.info("{}: reused the result of run {} (cache key {})", stage, source.runId(), cacheKey.substring(0, 12));
        return true;
    }

    /** Why a recorded artifact cannot be trusted, if it cannot. */
    private static Optional<String> damage(StoredArtifact artifact) {
        Path file = Path.of(artifact.path());
        if (!Files.isRegularFile(file)) {
            return Optional.of(artifact.kind() + " " + file + " is missing");
        }
        try {
            String actual = Sha256.hex(file);
            return actual.equals(artifact.sha256())
                    ? Optional.empty()
                    : Optional.of(artifact.kind() + " " + file + " has sha256 " + actual.substring(0, 12)
                            + ", recorded " + artifact.sha256().substring(0, 12));
        } catch (UncheckedIOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The stage's cache key: sha256 over its settings, Caravan's code, the checkpoints of the stages before it and
     * (for the first stage that reads data) the data file's content. Null for stages that are never cached, or
     * when the data file cannot be read (ingest then fails with its own message).
     */
    private String cacheKey(RunState state) {
        if (!stage.cached()) {
            return null;
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("stage", stage.name());
        key.put("format", CHECKPOINT_FORMAT);
        key.put("code", CodeFingerprint.VALUE);
        key.put("config", stage.cacheConfig().apply(state.spec()));
        key.put("inputs", state.checkpoints());
        if (state.checkpoints().isEmpty()) {
            Path data = state.spec().dataPath();
            if (!Files.isReadable(data)) {
                return null;
            }
            key.put("data", Sha256.hex(data));
        }
        return Sha256.hex(Json.write(key));
    }
}
