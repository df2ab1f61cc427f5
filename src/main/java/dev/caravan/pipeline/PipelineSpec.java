package dev.caravan.pipeline;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.clean.CleaningPolicy;
import dev.caravan.clean.MissingStrategy;
import dev.caravan.data.ColumnType;
import dev.caravan.data.EnumNames;
import dev.caravan.deploy.DeployTarget;
import dev.caravan.evaluate.BlessingGate;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.onnx.Calibrator;
import dev.caravan.split.Splitter;
import dev.caravan.transform.NormalizationMethod;
import dev.caravan.train.Activation;
import dev.caravan.train.CandidateSpace;
import dev.caravan.train.DeviceSelector;
import dev.caravan.train.Engines;
import dev.caravan.train.Hyperparameters;
import dev.caravan.train.LearningRateSchedule;
import dev.caravan.train.LossKind;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.OptimizerKind;
import dev.caravan.train.TaskShape;
import dev.caravan.transform.TransformFitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A pipeline spec, as written in a YAML file (see {@code pipelines/example.yaml}). Every setting has a default
 * but the data file and the target; CLI flags override the file. Unknown keys are errors, so a typo never passes
 * silently.
 */
public final class PipelineSpec {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> TEST_METRICS = List.of("rmse", "mae", "r2", "accuracy", "logLoss", "macroF1",
            "rocAuc");

    public String name = "default";
    public Data data = new Data();
    public String target;
    /** {@code regression}, {@code classification}, or absent to infer from the target's type. */
    public String task;
    public Cleaning cleaning = new Cleaning();
    public SplitSettings split = new SplitSettings();
    public TransformSettings transform = new TransformSettings();
    public ModelSettings model = new ModelSettings();
    public Training training = new Training();
    public ExportSettings export = new ExportSettings();
    public Quantization quantization = new Quantization();
    public Deploy deploy = new Deploy();
    public Blessing blessing = new Blessing();
    /** Free-form labels recorded with every run; registry filters read them as {@code tags.KEY}. */
    public Map<String, String> tags = new LinkedHashMap<>();
    /** A Quartz cron expression (seconds first, e.g. {@code 0 0 3 * * ?}); {@code caravan server} fires it. */
    public String schedule;

    /** Where the data is and how to read it. */
    public static final class Data {
        /** The CSV file; relative paths in a spec file are relative to that file. */
        public String path;
        public String delimiter = ",";
        /** Column types that replace the inferred ones: numeric, categorical, date or boolean. */
        public Map<String, String> columns = new LinkedHashMap<>();
        public List<String> missingValues = List.of("", "NA", "N/A", "null", "NULL");
        public int inferRows = 10_000;
    }

    /** The clean stage's policy. */
    public static final class Cleaning {
        /** drop, mean, median or mode: for every column without its own entry in {@code perColumn}. */
        public String missing = "median";
        public Map<String, String> perColumn = new LinkedHashMap<>();
        /** fail (default) or drop. */
        public String missingTarget = "fail";
        public boolean dropDuplicates = true;
        public Map<String, RangeRule> ranges = new LinkedHashMap<>();
    }

    /** Inclusive bounds; rows outside are quarantined. */
    public static final class RangeRule {
        public Double min;
        public Double max;
    }

    /** The split stage's shares and seed. */
    public static final class SplitSettings {
        public double train = 0.70;
        public double validation = 0.15;
        public double test = 0.15;
        public long seed = 42;
        /** Absent: stratify exactly when the task is classification. */
        public Boolean stratify;
    }

    /** The transform stage's normalization. */
    public static final class TransformSettings {
        /** minmax or zscore. */
        public String method = "minmax";
        /** The min-max interval: [0, 1] or [-1, 1]. */
        public List<Double> range = List.of(0.0, 1.0);
        public int maxCategories = 100;
    }

    /** How the chosen model is registered. */
    public static final class ModelSettings {
        /** The registry name; default: the pipeline's name. */
        public String name;
    }

    /** The train and select stages. */
    public static final class Training {
        /** auto (GPU if PyTorch sees one, else CPU), cpu or gpu. */
        public String device = "auto";
        public long seed = 42;
        /** val_loss (lower wins) or val_accuracy (classification; higher wins). */
        public String monitor = "val_loss";
        public int patience = 10;
        public double minDelta = 0;
        public int maxEpochs = 100;
        /** adam or sgd. */
        public String optimizer = "adam";
        /** SGD only. */
        public double momentum = 0.9;
        /** relu, gelu or tanh. */
        public String activation = "relu";
        /** Regression: mse or l1. Classification always uses softmax cross-entropy. */
        public String loss = "mse";
        public Schedule schedule = new Schedule();
        public Candidates candidates = new Candidates();
    }

    /** The learning-rate schedule. */
    public static final class Schedule {
        /** constant, step (lr * gamma every stepSize epochs) or cosine. */
        public String type = "constant";
        public int stepSize = 10;
        public double gamma = 0.5;
    }

    /** The candidates: every combination of these lists (grid), or {@code samples} of them (random). */
    public static final class Candidates {
        /** grid or random. */
        public String search = "grid";
        public int samples = 4;
        public List<List<Integer>> hidden = List.of(List.of(64, 32));
        public List<Double> learningRate = List.of(0.001);
        public List<Double> weightDecay = List.of(0.0);
        public List<Integer> batchSize = List.of(256);
        public List<Double> dropout = List.of(0.0);
    }

    /** The export stage. */
    public static final class ExportSettings {
        /** The largest difference allowed between ONNX Runtime and DJL on the test split, relative to the output scale. */
        public double parityTolerance = 1e-4;
    }

    /** The quantize stage and its gate. */
    public static final class Quantization {
        public boolean enabled = true;
        /** How many training rows calibrate the activation ranges. */
        public int calibrationRows = 1000;
        /** minmax or percentile. */
        public String method = "minmax";
        /** For percentile: the upper percentile kept at each end (100 minus it at the lower end). */
        public double percentile = 99.99;
        /** The relative loss of the test metric (RMSE or accuracy) INT8 may have against FP32. */
        public double tolerance = 0.01;
        /** The batch size at which INT8 must not be slower than FP32. */
        public int latencyBatch = 256;
    }

    /** The deploy stage: an image of the model server with the chosen ONNX file. */
    public static final class Deploy {
        /** none (default), tar, registry or podman. */
        public String target = "none";
        /** The base image: a JRE 17 image; registry://, tar:// and docker:// references work. */
        public String baseImage;
        /** The image to build; {model} and {version} are replaced. */
        public String image = "caravan/{model}:{version}";
        public int port = 8080;
        /** Allow plain HTTP to a registry (a registry on localhost). */
        public boolean insecureRegistry = true;
    }

    /**
     * The evaluation gate: the new version is compared with the current champion on the new run's test split,
     * and becomes champion only if it is blessed.
     */
    public static final class Blessing {
        public boolean enabled = true;
        /** A test metric (rmse, mae, r2, accuracy, logLoss, macroF1, rocAuc); default rmse or accuracy by task. */
        public String metric;
        /** higher or lower (better); default: from the metric. */
        public String direction;
        /** The least improvement over the champion, in the metric's units; negative allows a bounded loss. */
        public double minAbsoluteChange = 0;
        /** The least improvement relative to the champion's value (0.01 = 1%); negative allows a bounded loss. */
        public double minRelativeChange = 0;
        /** The alias a blessed version takes. */
        public String alias = "champion";
    }

    /** Reads a spec file; errors name the file, the line and the setting. */
    public static PipelineSpec load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("pipeline spec " + file + " does not exist");
        }
        PipelineSpec spec;
        try {
            spec = YAML.readValue(file.toFile(), PipelineSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            throw new ConfigException(file + " line " + e.getLocation().getLineNr() + ": unknown setting '"
                    + settingPath(e) + "' (known here: " + known + ")", e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + " line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read pipeline spec " + file + ": " + e.getMessage(), e);
        }
        if (spec == null) {
            throw new ConfigException("pipeline spec " + file + " is empty");
        }
        requireTagValues(file, spec);
        if (spec.data.path != null) {
            Path base = file.toAbsolutePath().getParent();
            spec.data.path = base.resolve(spec.data.path).normalize().toString();
        }
        return spec;
    }

    /** Tags are recorded when the run starts, before validate: a tag without a value fails here. */
    private static void requireTagValues(Path file, PipelineSpec spec) {
        if (spec.tags == null) {
            spec.tags = new LinkedHashMap<>();
        }
        spec.tags.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                throw new ConfigException(file + ": tags." + key + " has no value");
            }
        });
    }

    /** The spec a run recorded (its {@code config} column), for resuming it. */
    public static PipelineSpec fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, PipelineSpec.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException("the run's recorded spec cannot be read by this version of Caravan: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String settingPath(UnrecognizedPropertyException e) {
        return e.getPath().stream().map(reference -> reference.getFieldName())
                .filter(name -> name != null).collect(Collectors.joining("."));
    }

    /** Checks every setting, so that a bad value fails before any stage runs. */
    public void validate() {
        if (data.path == null || data.path.isBlank()) {
            throw new ConfigException("no data file: give --data FILE or data.path in the pipeline spec");
        }
        if (target == null || target.isBlank()) {
            throw new ConfigException("no target column: give --target COL or target in the pipeline spec");
        }
        if (task != null && !task.equals("regression") && !task.equals("classification")) {
            throw new ConfigException("task '" + task + "' is unknown (expected regression or classification)");
        }
        ingestor();
        cleaningPolicy();
        splitter();
        transformFitter(false, Map.of());
        candidates();
        monitor();
        if (training.patience < 1) {
            throw new ConfigException("training.patience must be >= 1, got " + training.patience);
        }
        if (!(training.minDelta >= 0)) {
            throw new ConfigException("training.minDelta must be >= 0, got " + training.minDelta);
        }
        calibrationMethod();
        if (!(export.parityTolerance > 0)) {
            throw new ConfigException("export.parityTolerance must be > 0, got " + export.parityTolerance);
        }
        if (quantization.calibrationRows < 1 || !(quantization.tolerance >= 0) || quantization.latencyBatch < 1
                || !(quantization.percentile > 50 && quantization.percentile <= 100)) {
            throw new ConfigException("quantization needs calibrationRows >= 1, tolerance >= 0, latencyBatch >= 1"
                    + " and 50 < percentile <= 100");
        }
        if (deployTarget() != DeployTarget.NONE && (deploy.baseImage == null || deploy.baseImage.isBlank())) {
            throw new ConfigException("deploy.target " + deploy.target + " needs deploy.baseImage (a JRE 17 image)");
        }
        blessing();
        device(); // chosen now: gpu without a GPU fails before any data is read, and the engine is loaded
    }

    private void blessing() {
        if (blessing.metric != null && !TEST_METRICS.contains(blessing.metric)) {
            throw new ConfigException("blessing.metric '" + blessing.metric + "' is unknown (expected one of "
                    + String.join(", ", TEST_METRICS) + ")");
        }
        if (blessing.direction != null) {
            blessingDirection(blessing.direction);
        }
        if (blessing.alias == null || !blessing.alias.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException("blessing.alias must be 1 to 64 letters, digits, '_', '.' or '-', got '"
                    + blessing.alias + "'");
        }
        if (!Double.isFinite(blessing.minAbsoluteChange) || !Double.isFinite(blessing.minRelativeChange)) {
            throw new ConfigException("blessing.minAbsoluteChange and minRelativeChange must be finite numbers");
        }
    }

    static BlessingGate.Direction blessingDirection(String direction) {
        return switch (direction) {
            case "higher" -> BlessingGate.Direction.HIGHER;
            case "lower" -> BlessingGate.Direction.LOWER;
            default -> throw new ConfigException("blessing.direction '" + direction
                    + "' is unknown (expected higher or lower)");
        };
    }

    Calibrator.Method calibrationMethod() {
        return setting("quantization.method", () -> EnumNames.parse(Calibrator.Method.class, quantization.method,
                "calibration method"));
    }

    DeployTarget deployTarget() {
        return setting("deploy.target", () -> EnumNames.parse(DeployTarget.class, deploy.target, "deploy target"));
    }

    String modelName() {
        return model.name != null && !model.name.isBlank() ? model.name : name;
    }

    /** The candidates to train, each validated; errors name the setting. */
    List<Hyperparameters> candidates() {
        Training t = training;
        // the settings every candidate shares; hidden, rate, decay, batch and dropout come from the space
        Hyperparameters shared = setting("training", () -> new Hyperparameters(List.of(1),
                Activation.fromId(t.activation), 0, OptimizerKind.fromId(t.optimizer), t.momentum, 1, 0, 1,
                t.maxEpochs, new LearningRateSchedule(LearningRateSchedule.kindOf(t.schedule.type), t.schedule.stepSize,
                        t.schedule.gamma), LossKind.regressionLoss(t.loss)).validate());
        Candidates c = t.candidates;
        CandidateSpace space = setting("training.candidates", () -> new CandidateSpace(c.hidden, c.learningRate,
                c.weightDecay, c.batchSize, c.dropout));
        return setting("training.candidates", () -> switch (c.search) {
            case "grid" -> space.grid(shared);
            case "random" -> space.sample(shared, c.samples, t.seed);
            default -> throw new IllegalArgumentException("search '" + c.search + "' is unknown (expected grid or random)");
        });
    }

    String monitor() {
        if (!training.monitor.equals("val_loss") && !training.monitor.equals("val_accuracy")) {
            throw new ConfigException("training.monitor '" + training.monitor
                    + "' is unknown (expected val_loss or val_accuracy)");
        }
        if (training.monitor.equals("val_accuracy") && "regression".equals(task)) {
            throw new ConfigException("training.monitor val_accuracy needs a classification task");
        }
        return training.monitor;
    }

    private DeviceSelector.Choice deviceChoice() {
        return setting("training.device", () -> DeviceSelector.choiceOf(training.device));
    }

    /** The training device, from the choice and the GPUs PyTorch sees (loading the engine on first use). */
    Device device() {
        DeviceSelector.Choice choice = deviceChoice();
        int gpus = Engines.pytorch().getGpuCount();
        return setting("training.device", () -> DeviceSelector.select(choice, gpus));
    }

    MlpTrainer trainer(TaskShape task, MlpTrainer.EpochListener listener) {
        return setting("training", () -> new MlpTrainer(task, device(), training.seed, monitor(), training.patience,
                training.minDelta, listener));
    }

    Path dataPath() {
        return Path.of(data.path);
    }

    CsvIngestor ingestor() {
        if (data.delimiter == null || data.delimiter.length() != 1 || data.delimiter.charAt(0) > 127
                || "\"\r\n".indexOf(data.delimiter.charAt(0)) >= 0) {
            throw new ConfigException("data.delimiter must be one ASCII character other than a quote or a line"
                    + " break, got '" + data.delimiter + "'");
        }
        Map<String, ColumnType> types = new LinkedHashMap<>();
        data.columns.forEach((column, type) -> types.put(column, setting("data.columns." + column,
                () -> ColumnType.fromId(type))));
        return setting("data", () -> CsvIngestor.builder().setFile(dataPath()).optDelimiter(data.delimiter.charAt(0))
                .optInferRows(data.inferRows).optColumnTypes(types).optMissingValues(new HashSet<>(data.missingValues))
                .build());
    }

    CleaningPolicy cleaningPolicy() {
        CleaningPolicy.Builder policy = CleaningPolicy.builder().setTarget(target)
                .optMissing(setting("cleaning.missing", () -> MissingStrategy.fromId(cleaning.missing)))
                .optDropDuplicates(cleaning.dropDuplicates);
        cleaning.perColumn.forEach((column, strategy) -> policy.optMissing(column,
                setting("cleaning.perColumn." + column, () -> MissingStrategy.fromId(strategy))));
        switch (cleaning.missingTarget) {
            case "fail" -> policy.optDropMissingTarget(false);
            case "drop" -> policy.optDropMissingTarget(true);
            default -> throw new ConfigException("cleaning.missingTarget '" + cleaning.missingTarget
                    + "' is unknown (expected fail or drop)");
        }
        cleaning.ranges.forEach((column, range) -> setting("cleaning.ranges." + column,
                () -> policy.optRange(column, range.min, range.max)));
        return policy.build();
    }

    Splitter splitter() {
        return setting("split", () -> Splitter.builder().optFractions(split.train, split.validation, split.test)
                .optSeed(split.seed).build());
    }

    TransformFitter transformFitter(boolean classification, Map<String, String> imputed) {
        NormalizationMethod method = setting("transform.method", () -> NormalizationMethod.fromId(transform.method));
        if (transform.range == null || transform.range.size() != 2) {
            throw new ConfigException("transform.range must be two numbers, such as [0, 1] or [-1, 1]");
        }
        return setting("transform", () -> TransformFitter.builder().setTarget(target)
                .setClassification(classification).optMethod(method)
                .optRange(transform.range.get(0), transform.range.get(1)).optMaxCategories(transform.maxCategories)
                .optImputed(imputed).build());
    }

    /** Builds a stage setting, turning the stage's own argument errors into a config error naming the key. */
    private static <T> T setting(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }
}
