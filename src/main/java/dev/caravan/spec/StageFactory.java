package dev.caravan.spec;

import ai.djl.Device;
import dev.caravan.clean.CleaningPolicy;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Names;
import dev.caravan.deploy.DeployTarget;
import dev.caravan.deploy.InsecureRegistries;
import dev.caravan.evaluate.BlessingGate;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.spec.PipelineSpec.Candidates;
import dev.caravan.spec.PipelineSpec.MissingTarget;
import dev.caravan.spec.PipelineSpec.Task;
import dev.caravan.spec.PipelineSpec.Training;
import dev.caravan.split.Splitter;
import dev.caravan.train.CandidateSearch;
import dev.caravan.train.CandidateSpace;
import dev.caravan.train.DeviceSelector;
import dev.caravan.train.Engines;
import dev.caravan.train.Hyperparameters;
import dev.caravan.train.LearningRateSchedule;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.ModelSelector;
import dev.caravan.train.Monitor;
import dev.caravan.train.Scores;
import dev.caravan.train.TaskShape;
import dev.caravan.train.TrainingDefaults;
import dev.caravan.transform.TransformFitter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Turns a spec into the stage packages' objects, each with its settings checked; a stage's own argument error
 * becomes a bad-setting error naming the key. {@link #validate} builds them all once, so that a bad value fails
 * before any stage runs.
 */
public final class StageFactory {
    /** The training rows that {@link #validate} derives defaults for: any count would do to check the settings. */
    private static final int VALIDATION_ROWS = 1000;

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
        candidates(VALIDATION_ROWS);
        monitor();
        Training training = spec.training;
        require(training.patience >= 1, "training.patience must be >= 1, got " + training.patience);
        require(training.minDelta >= 0, "training.minDelta must be >= 0, got " + training.minDelta);
        require(
                training.threads == null || training.threads >= 1,
                "training.threads must be >= 1, got " + training.threads);
        require(
                training.budget.seconds >= 0,
                "training.budget.seconds must be >= 0 (0: no limit), got " + training.budget.seconds);
        require(
                training.ensemble.size >= 1,
                "training.ensemble.size must be >= 1 (1: no ensemble), got " + training.ensemble.size);
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
        Optional<String> insecure = spec.deploy.insecureRegistry
                ? InsecureRegistries.refusal(spec.deploy.target, spec.deploy.image, spec.deploy.baseImage)
                : Optional.empty();
        require(insecure.isEmpty(), insecure.orElse(""));
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

    /**
     * The candidates to train and how to search them, each validated (errors name the setting), with every value
     * derived from the {@code trainingRows} where the spec is silent, and why.
     */
    public CandidatePlan candidates(int trainingRows) {
        return candidates(trainingRows, null);
    }

    /**
     * @param logTarget why the target's logarithm is offered (see {@code LogTarget}), or null: then the default
     *     search lets every other candidate learn it
     */
    public CandidatePlan candidates(int trainingRows, String logTarget) {
        Training t = spec.training;
        Map<String, String> derived = new LinkedHashMap<>();
        int batch = TrainingDefaults.batchSize(trainingRows);
        Candidates c = t.candidates;
        List<Integer> batchSizes = c != null && c.batchSize != null ? c.batchSize : null;
        if (batchSizes == null) {
            derived.put(
                    "training.candidates.batchSize",
                    (c == null ? batch / 2 + ", " + batch + " and " + (batch * 2) + " around " : "") + batch + " ("
                            + trainingRows + " training rows: about 32 batches an epoch, within 16 to 512)");
        }
        int maxEpochs;
        if (t.maxEpochs != null) {
            maxEpochs = t.maxEpochs;
        } else {
            int reference = batchSizes == null ? batch : batchSizes.get(0);
            maxEpochs = TrainingDefaults.maxEpochs(trainingRows, reference);
            derived.put(
                    "training.maxEpochs",
                    maxEpochs + " (a budget of 5000 optimizer steps at batch size " + reference
                            + ", within 30 to 500; early stopping usually ends training first)");
        }
        Hyperparameters shared = setting("training", () -> new Hyperparameters(
                        List.of(1),
                        t.activation,
                        0,
                        t.optimizer,
                        t.momentum,
                        1,
                        0,
                        1,
                        maxEpochs,
                        new LearningRateSchedule(t.schedule.type, scheduleStep(derived), t.schedule.gamma),
                        t.loss)
                .validate());
        require(t.budget.candidates >= 1, "training.budget.candidates must be >= 1, got " + t.budget.candidates);
        if (c == null) {
            CandidateSpace space = TrainingDefaults.space(batch);
            derived.put(
                    "training.candidates",
                    t.budget.candidates + " drawn from the default space (1 to 3 hidden layers of 64 to 256 units,"
                            + " learningRate 3e-4 to 3e-3, weightDecay 0 to 1e-4, dropout 0 to 0.2), searched by"
                            + " successive halving");
            List<Hyperparameters> drawn = space.sample(shared, t.budget.candidates, t.seed);
            if (logTarget == null) {
                return new CandidatePlan(drawn, CandidateSearch.Strategy.HALVING, derived);
            }
            derived.put("training.target", "the log of the target for every other candidate: " + logTarget);
            List<Hyperparameters> mixed = IntStream.range(0, drawn.size())
                    .mapToObj(i -> i % 2 == 1 ? drawn.get(i).withLogTarget() : drawn.get(i))
                    .toList();
            return new CandidatePlan(mixed, CandidateSearch.Strategy.HALVING, derived);
        }
        List<Integer> batches = batchSizes == null ? List.of(batch) : batchSizes;
        CandidateSpace space = setting(
                "training.candidates",
                () -> new CandidateSpace(c.hidden, c.learningRate, c.weightDecay, batches, c.dropout));
        List<Hyperparameters> drawn = setting("training.candidates", () -> switch (c.search) {
            case GRID -> space.grid(shared);
            case RANDOM -> space.sample(shared, c.samples, t.seed);
            case HALVING -> space.sample(shared, t.budget.candidates, t.seed);
        });
        CandidateSearch.Strategy strategy = c.search == PipelineSpec.Search.HALVING
                ? CandidateSearch.Strategy.HALVING
                : CandidateSearch.Strategy.EXHAUSTIVE;
        return new CandidatePlan(drawn, strategy, derived);
    }

    /** The schedule's stepSize: as set, else 10 epochs for step decay and a third of the patience for plateau. */
    private int scheduleStep(Map<String, String> derived) {
        PipelineSpec.Schedule schedule = spec.training.schedule;
        if (schedule.stepSize != null) {
            return schedule.stepSize;
        }
        if (schedule.type == LearningRateSchedule.Kind.PLATEAU) {
            int epochs = TrainingDefaults.plateauEpochs(spec.training.patience);
            derived.put(
                    "training.schedule.stepSize",
                    epochs + " (plateau: the rate halves after a third of the patience of " + spec.training.patience
                            + " epochs without improvement)");
            return epochs;
        }
        return 10;
    }

    /** The candidates of a run, the strategy that trains them, and the settings derived for them, with why. */
    public record CandidatePlan(
            List<Hyperparameters> candidates, CandidateSearch.Strategy strategy, Map<String, String> derived) {}

    /** The monitored validation figure, checked against the configured task (an inferred one may pass). */
    public Monitor monitor() {
        return monitor(spec.task != Task.REGRESSION);
    }

    /** The selector: the best candidate, or the mean of the best {@code training.ensemble.size} when it is better. */
    public ModelSelector selector() {
        return new ModelSelector(monitor(), spec.training.ensemble.size);
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

    /**
     * The search that trains a plan's candidates: on the CPU, {@code training.threads} at once (default: one per
     * core); on a GPU one at a time, since each candidate's batches already keep the device busy.
     */
    public CandidateSearch search(
            TaskShape task, CandidateSearch.Strategy strategy, CandidateSearch.Listener listener) {
        Training training = spec.training;
        Device device = device();
        int threads = training.threads != null
                ? training.threads
                : device.isGpu() ? 1 : Runtime.getRuntime().availableProcessors();
        MlpTrainer trainer = setting(
                "training",
                () -> new MlpTrainer(
                        task,
                        device,
                        training.seed,
                        monitor(task.classification()),
                        training.patience,
                        training.minDelta,
                        listener));
        return setting(
                "training",
                () -> new CandidateSearch(
                        trainer,
                        strategy,
                        threads,
                        training.budget.seconds,
                        monitor(task.classification()).maximizes(),
                        training.ensemble.size - 1,
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
