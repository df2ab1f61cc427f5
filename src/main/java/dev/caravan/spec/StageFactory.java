package dev.caravan.spec;

import ai.djl.Device;
import dev.caravan.clean.CleaningPolicy;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Names;
import dev.caravan.deploy.DeployTarget;
import dev.caravan.evaluate.BlessingGate;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.spec.PipelineSpec.Candidates;
import dev.caravan.spec.PipelineSpec.MissingTarget;
import dev.caravan.spec.PipelineSpec.Task;
import dev.caravan.spec.PipelineSpec.Training;
import dev.caravan.split.Splitter;
import dev.caravan.train.CandidateSpace;
import dev.caravan.train.DeviceSelector;
import dev.caravan.train.Engines;
import dev.caravan.train.Hyperparameters;
import dev.caravan.train.LearningRateSchedule;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.Monitor;
import dev.caravan.train.Scores;
import dev.caravan.train.TaskShape;
import dev.caravan.transform.TransformFitter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a spec into the stage packages' objects, each with its settings checked; a stage's own argument error
 * becomes a bad-setting error naming the key. {@link #validate} builds them all once, so that a bad value fails
 * before any stage runs.
 */
public final class StageFactory {
    private final PipelineSpec spec;

    public StageFactory(PipelineSpec spec) {
        this.spec = spec;
    }

    /** Checks every setting, so that a bad value fails before any data is read. */
    public void validate() {
        if (spec.data.path == null || spec.data.path.isBlank()) {
            throw CaravanException.badSetting("no data file: give --data FILE or data.path in the pipeline spec");
        }
        if (spec.target == null || spec.target.isBlank()) {
            throw CaravanException.badSetting("no target column: give --target COL or target in the pipeline spec");
        }
        ingestor();
        cleaningPolicy();
        splitter();
        transformFitter(false, Map.of());
        candidates();
        monitor();
        Training training = spec.training;
        require(training.patience >= 1, "training.patience must be >= 1, got " + training.patience);
        require(training.minDelta >= 0, "training.minDelta must be >= 0, got " + training.minDelta);
        require(
                spec.export.parityTolerance > 0,
                "export.parityTolerance must be > 0, got " + spec.export.parityTolerance);
        PipelineSpec.Quantization quantization = spec.quantization;
        require(
                quantization.calibrationRows >= 1
                        && quantization.tolerance >= 0
                        && quantization.latencyBatch >= 1
                        && quantization.percentile > 50
                        && quantization.percentile <= 100,
                "quantization needs"
                        + " calibrationRows >= 1, tolerance >= 0, latencyBatch >= 1 and 50 < percentile <= 100");
        boolean hasBase = spec.deploy.baseImage != null && !spec.deploy.baseImage.isBlank();
        require(
                spec.deploy.target == DeployTarget.NONE || hasBase,
                "deploy.target " + spec.deploy.target.id() + " needs deploy.baseImage (a JRE 17 image)");
        blessing();
        device(); // chosen now: gpu without a GPU fails before any data is read, and the engine is loaded
    }

    private void blessing() {
        PipelineSpec.Blessing blessing = spec.blessing;
        require(
                blessing.metric == null || Scores.TEST_METRICS.contains(blessing.metric),
                "blessing.metric '" + blessing.metric + "' is unknown (expected one of "
                        + String.join(", ", Scores.TEST_METRICS) + ")");
        require(Names.valid(blessing.alias), "blessing.alias '" + blessing.alias + "' " + Names.RULE);
        require(
                Double.isFinite(blessing.minAbsoluteChange) && Double.isFinite(blessing.minRelativeChange),
                "blessing.minAbsoluteChange and minRelativeChange must be finite numbers");
    }

    /** The blessing metric: as set, else RMSE or accuracy by task. */
    public String blessingMetric(boolean classification) {
        return spec.blessing.metric != null ? spec.blessing.metric : classification ? Scores.ACCURACY : Scores.RMSE;
    }

    /** The direction the blessing metric improves in: as set, else the metric's own. */
    public BlessingGate.Direction blessingDirection(String metric) {
        return spec.blessing.direction != null ? spec.blessing.direction : BlessingGate.defaultDirection(metric);
    }

    /** The candidates to train, each validated; errors name the setting. */
    public List<Hyperparameters> candidates() {
        Training t = spec.training;
        // the settings every candidate shares; hidden, rate, decay, batch and dropout come from the space
        Hyperparameters shared = setting("training", () -> new Hyperparameters(
                        List.of(1),
                        t.activation,
                        0,
                        t.optimizer,
                        t.momentum,
                        1,
                        0,
                        1,
                        t.maxEpochs,
                        new LearningRateSchedule(t.schedule.type, t.schedule.stepSize, t.schedule.gamma),
                        t.loss)
                .validate());
        Candidates c = t.candidates;
        CandidateSpace space = setting(
                "training.candidates",
                () -> new CandidateSpace(c.hidden, c.learningRate, c.weightDecay, c.batchSize, c.dropout));
        return setting("training.candidates", () -> switch (c.search) {
            case GRID -> space.grid(shared);
            case RANDOM -> space.sample(shared, c.samples, t.seed);
        });
    }

    /** The monitored validation figure, checked against the configured task (an inferred one may pass). */
    public Monitor monitor() {
        return monitor(spec.task != Task.REGRESSION);
    }

    /** The monitored validation figure; accuracy needs a classification target. */
    private Monitor monitor(boolean classification) {
        require(
                spec.training.monitor != Monitor.VAL_ACCURACY || classification,
                "training.monitor val_accuracy needs a classification target");
        return spec.training.monitor;
    }

    /** The training device, from the choice and the GPUs PyTorch sees (loading the engine on first use). */
    public Device device() {
        int gpus = Engines.pytorch().getGpuCount();
        return setting("training.device", () -> DeviceSelector.select(spec.training.device, gpus));
    }

    public MlpTrainer trainer(TaskShape task, MlpTrainer.EpochListener listener) {
        Training training = spec.training;
        return setting(
                "training",
                () -> new MlpTrainer(
                        task,
                        device(),
                        training.seed,
                        monitor(task.classification()),
                        training.patience,
                        training.minDelta,
                        listener));
    }

    public CsvIngestor ingestor() {
        String delimiter = spec.data.delimiter;
        require(
                delimiter != null
                        && delimiter.length() == 1
                        && delimiter.charAt(0) <= 127
                        && "\"\r\n".indexOf(delimiter.charAt(0)) < 0,
                "data.delimiter must be one ASCII character other" + " than a quote or a line break, got '" + delimiter
                        + "'");
        return setting("data", () -> CsvIngestor.builder()
                .setFile(spec.dataPath())
                .optDelimiter(delimiter.charAt(0))
                .optInferRows(spec.data.inferRows)
                .optColumnTypes(spec.data.columns)
                .optMissingValues(new HashSet<>(spec.data.missingValues))
                .build());
    }

    public CleaningPolicy cleaningPolicy() {
        CleaningPolicy.Builder policy = CleaningPolicy.builder()
                .setTarget(spec.target)
                .optMissing(spec.cleaning.missing)
                .optDropDuplicates(spec.cleaning.dropDuplicates)
                .optDropMissingTarget(spec.cleaning.missingTarget == MissingTarget.DROP);
        spec.cleaning.perColumn.forEach(policy::optMissing);
        spec.cleaning.ranges.forEach((column, range) ->
                setting("cleaning.ranges." + column, () -> policy.optRange(column, range.min, range.max)));
        return policy.build();
    }

    public Splitter splitter() {
        PipelineSpec.SplitSettings split = spec.split;
        return setting("split", () -> Splitter.builder()
                .optFractions(split.train, split.validation, split.test)
                .optSeed(split.seed)
                .build());
    }

    public TransformFitter transformFitter(boolean classification, Map<String, String> imputed) {
        List<Double> range = spec.transform.range;
        require(range != null && range.size() == 2, "transform.range must be two numbers, such as [0, 1] or [-1, 1]");
        return setting("transform", () -> TransformFitter.builder()
                .setTarget(spec.target)
                .setClassification(classification)
                .optMethod(spec.transform.method)
                .optRange(range.get(0), range.get(1))
                .optMaxCategories(spec.transform.maxCategories)
                .optImputed(imputed)
                .build());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw CaravanException.badSetting(message);
        }
    }

    /** Builds a stage setting, turning the stage's own argument errors into a bad setting naming the key. */
    private static <T> T setting(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw CaravanException.badSetting(key + ": " + e.getMessage(), e);
        }
    }
}
