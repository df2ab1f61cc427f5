package dev.caravan.pipeline;

import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.CachedStage;
import dev.caravan.registry.Records.StageOutcome;
import dev.caravan.registry.Records.StoredArtifact;
import dev.caravan.registry.RunStore;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage as a Camel processor: opens its stage run, runs the body (or reuses a cached result), saves its
 * checkpoint, and records the outcome in one transaction. A failure propagates to the routes' shared error
 * handler, which records it against this stage. Stages a resumed run restored are skipped.
 */
final class RecordedStage implements Processor {
    /** A JVM error inside a stage, carried as an exception so that the run is recorded as FAILED. */
    static final class StageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StageFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Bumped when checkpoints change shape, so that old cache entries stop matching. */
    private static final int CHECKPOINT_FORMAT = 1;
    private static final Logger LOG = LoggerFactory.getLogger(RecordedStage.class);
    private static final String CODE = codeFingerprint();

    private final String name;
    private final RunStore store;
    private final Function<RunState, StageReport> body;
    private final Function<PipelineSpec, Object> cacheConfig;

    /**
     * @param cacheConfig the settings the stage's output depends on, for the step cache; null when the stage is
     *     never cached (it registers or deploys something of its own run)
     */
    RecordedStage(String name, RunStore store, Function<RunState, StageReport> body,
            Function<PipelineSpec, Object> cacheConfig) {
        this.name = name;
        this.store = store;
        this.body = body;
        this.cacheConfig = cacheConfig;
    }

    @Override
    public void process(Exchange exchange) {
        RunState state = exchange.getIn().getBody(RunState.class);
        if (state.isRestored(name)) {
            LOG.info("{}: restored from the run's checkpoint", name);
            return;
        }
        String cacheKey = cacheKey(state);
        state.enterStage(name, store.startStage(state.runId(), name, cacheKey));
        long started = System.nanoTime();
        if (cacheKey == null || !state.useCache() || !reuseCached(state, cacheKey)) {
            runBody(state);
        }
        LOG.info("{}: done in {} ms", name, (System.nanoTime() - started) / 1_000_000);
        state.leaveStage();
    }

    private void runBody(RunState state) {
        StageReport report;
        try {
            report = body.apply(state);
        } catch (OutOfMemoryError e) {
            // Camel's error handler sees exceptions only: without this the run would stay RUNNING
            throw new StageFailure("out of memory; give the JVM more, e.g. CARAVAN_JAVA_OPTS=-Xmx8g", e);
        } catch (StackOverflowError | LinkageError e) {
            throw new StageFailure(e.toString(), e);
        }
        List<Artifact> artifacts = new ArrayList<>(report.artifacts());
        if (report.checkpoint() != null) {
            Artifact checkpoint = Checkpoints.write(state.artifactDir(), name, report.checkpoint());
            artifacts.add(checkpoint);
            state.recordCheckpoint(name, checkpoint.sha256());
        }
        Integer version = store.finishStage(state.runId(), new StageOutcome(state.currentStageRunId(),
                report.rowsIn(), report.rowsOut(), Json.write(report.metrics()), artifacts, report.products()));
        if (version != null) {
            state.modelVersion = version;
        }
    }

    /**
     * Reuses the newest succeeded stage run with this key whose artifacts all still match their recorded sha256;
     * a missing or altered file means recomputing, never trusting it.
     */
    private boolean reuseCached(RunState state, String cacheKey) {
        Optional<CachedStage> cached = store.findCachedStage(name, cacheKey);
        if (cached.isEmpty()) {
            return false;
        }
        CachedStage source = cached.get();
        Optional<String> damage = source.artifacts().stream().filter(a -> !a.kind().equals(Checkpoints.KIND))
                .map(RecordedStage::damage).flatMap(Optional::stream).findFirst();
        StoredArtifact checkpoint = source.artifacts().stream().filter(a -> a.kind().equals(Checkpoints.KIND))
                .findFirst().orElseThrow();
        try {
            if (damage.isPresent()) {
                throw new IllegalStateException(damage.get());
            }
            state.restore(name, Checkpoints.read(Path.of(checkpoint.path()), checkpoint.sha256()));
        } catch (RuntimeException e) {
            LOG.warn("{}: cached result of run {} is unusable ({}); recomputing", name, source.runId(),
                    e.getMessage());
            return false;
        }
        state.recordCheckpoint(name, checkpoint.sha256());
        store.reuseStage(state.runId(), state.currentStageRunId(), source.stageRunId());
        LOG.info("{}: reused the result of run {} (cache key {})", name, source.runId(), cacheKey.substring(0, 12));
        return true;
    }

    /**
     * The code that computes results: the sha256 of Caravan's jar, so that a rebuilt jar misses the cache;
     * "classes" when running from a build folder (development and tests).
     */
    private static String codeFingerprint() {
        try {
            Path location = Path.of(RecordedStage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? ArtifactFiles.sha256(location) : "classes";
        } catch (URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Why a recorded artifact cannot be trusted, if it cannot. */
    private static Optional<String> damage(StoredArtifact artifact) {
        Path file = Path.of(artifact.path());
        if (!Files.isRegularFile(file)) {
            return Optional.of(artifact.kind() + " " + file + " is missing");
        }
        try {
            String actual = ArtifactFiles.sha256(file);
            return actual.equals(artifact.sha256()) ? Optional.empty()
                    : Optional.of(artifact.kind() + " " + file + " has sha256 " + actual.substring(0, 12)
                            + ", recorded " + artifact.sha256().substring(0, 12));
        } catch (UncheckedIOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The stage's cache key: sha256 over its settings, Caravan's code, the checkpoints of the stages before it
     * and (for ingest) the data file's content. Null for stages that are never cached, or when the data file
     * cannot be read (ingest then fails with its own message).
     */
    private String cacheKey(RunState state) {
        if (cacheConfig == null) {
            return null;
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("stage", name);
        key.put("format", CHECKPOINT_FORMAT);
        key.put("code", CODE);
        key.put("config", cacheConfig.apply(state.spec()));
        key.put("inputs", state.checkpoints());
        if (state.checkpoints().isEmpty()) {
            Path data = state.spec().dataPath();
            if (!Files.isReadable(data)) {
                return null;
            }
            key.put("data", ArtifactFiles.sha256(data));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
