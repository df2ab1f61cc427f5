package dev.caravan.spec;

import dev.caravan.clean.MissingStrategy;
import dev.caravan.data.ColumnType;
import dev.caravan.deploy.DeployTarget;
import dev.caravan.evaluate.BlessingGate;
import dev.caravan.onnx.Calibrator;
import dev.caravan.train.Activation;
import dev.caravan.train.DeviceSelector;
import dev.caravan.train.LearningRateSchedule;
import dev.caravan.train.LossKind;
import dev.caravan.train.Monitor;
import dev.caravan.train.OptimizerKind;
import dev.caravan.train.TrainingDefaults;
import dev.caravan.transform.NormalizationMethod;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline spec, as written in a YAML file (see {@code pipelines/example.yaml}): the schema and its defaults.
 * Every setting has a default but the data file and the target; CLI flags override the file. {@link SpecLoader}
 * reads it (unknown keys and unknown enum values are errors naming the setting), {@link StageFactory} turns it
 * into stage objects and checks every value.
 */
public final class PipelineSpec {
    public String name = "default";
    public Data data = new Data();
    public String target;
    /** Absent: inferred from the target's type (numeric: regression). */
    public Task task;

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

    /** What the model predicts. */
    public enum Task {
        REGRESSION,
        CLASSIFICATION
    }

    /** Where the data is and how to read it. */
    public static final class Data {
        /** The CSV file; relative paths in a spec file are relative to that file. */
        public String path;

        public String delimiter = ",";
        /** Column types that replace the inferred ones. */
        public Map<String, ColumnType> columns = new LinkedHashMap<>();

        public List<String> missingValues = List.of("", "NA", "N/A", "null", "NULL");
        public int inferRows = 10_000;
    }

    /** What cleaning does with a row whose target is missing. */
    public enum MissingTarget {
        FAIL,
        DROP
    }

    /** The clean stage's policy. */
    public static final class Cleaning {
        /** For every column without its own entry in {@code perColumn}. */
        public MissingStrategy missing = MissingStrategy.MEDIAN;

        public Map<String, MissingStrategy> perColumn = new LinkedHashMap<>();
        public MissingTarget missingTarget = MissingTarget.FAIL;
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
        public NormalizationMethod method = NormalizationMethod.MINMAX;
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
        /** auto (a GPU if PyTorch sees one, else the CPU), cpu or gpu. */
        public DeviceSelector.Choice device = DeviceSelector.Choice.AUTO;

        public long seed = 42;
        /** val_accuracy is for classification. */
        public Monitor monitor = Monitor.VAL_LOSS;

        public int patience = 10;
        public double minDelta = 0;
        /** Absent: derived from the training rows (a budget of optimizer steps; see TrainingDefaults). */
        public Integer maxEpochs;

        public OptimizerKind optimizer = OptimizerKind.ADAM;
        /** SGD only. */
        public double momentum = 0.9;

        public Activation activation = Activation.RELU;
        /** Regression only: classification always uses softmax cross-entropy. */
        public LossKind loss = LossKind.MSE;

        public Schedule schedule = new Schedule();
        /** Absent: {@code budget.candidates} drawn from the default space, searched by successive halving. */
        public Candidates candidates;

        public Budget budget = new Budget();
        /** Candidates that train at once; absent: one per core on the CPU, one at a time on a GPU. */
        public Integer threads;

        public Ensemble ensemble = new Ensemble();
    }

    /** The mean of the best candidates, kept only when it beats the single best on validation. */
    public static final class Ensemble {
        /** How many of the best candidates it averages; 1: no ensemble. */
        public int size = TrainingDefaults.ENSEMBLE_SIZE;
    }

    /** The search's limits: how many candidates it draws, and how long the train stage may take. */
    public static final class Budget {
        public int candidates = TrainingDefaults.CANDIDATES;
        /** 0: no limit. */
        public double seconds = TrainingDefaults.BUDGET_SECONDS;
    }

    /**
     * The learning-rate schedule: plateau (lr * gamma after stepSize epochs without improvement), constant, step
     * (lr * gamma every stepSize epochs) or cosine.
     */
    public static final class Schedule {
        public LearningRateSchedule.Kind type = LearningRateSchedule.Kind.PLATEAU;
        /** Absent: 10 for step, a third of the patience for plateau. */
        public Integer stepSize;

        public double gamma = 0.5;
    }

    /** How the candidates are drawn from the lists, and trained. */
    public enum Search {
        /** Every combination, each trained to the end. */
        GRID,
        /** {@code samples} distinct combinations, drawn with the training seed, each trained to the end. */
        RANDOM,
        /** {@code budget.candidates} distinct combinations (all, when there are fewer), by successive halving. */
        HALVING
    }

    /** The candidates: every combination of these lists (grid), or {@code samples} of them (random). */
    public static final class Candidates {
        public Search search = Search.GRID;
        public int samples = 4;
        public List<List<Integer>> hidden = List.of(List.of(64, 32));
        public List<Double> learningRate = List.of(0.001);
        public List<Double> weightDecay = List.of(0.0);
        /** Absent: derived from the training rows. */
        public List<Integer> batchSize;

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

        public Calibrator.Method method = Calibrator.Method.MINMAX;
        /** For percentile: the upper percentile kept at each end (100 minus it at the lower end). */
        public double percentile = 99.99;
        /** The relative loss of the test metric (RMSE or accuracy) INT8 may have against FP32. */
        public double tolerance = 0.01;
        /** The batch size at which INT8 must not be slower than FP32. */
        public int latencyBatch = 256;
    }

    /** The deploy stage: an image of the model server with the chosen ONNX file. */
    public static final class Deploy {
        public DeployTarget target = DeployTarget.NONE;
        /** The base image: a JRE 17 image; registry://, tar:// and docker:// references work. */
        public String baseImage;
        /** The image to build; {model} and {version} are replaced. */
        public String image = "caravan/{model}:{version}";

        public int port = 8080;
        /**
         * Allow plain HTTP and unchecked certificates: only for registries on this machine (see
         * InsecureRegistries).
         */
        public boolean insecureRegistry;
    }

    /**
     * The evaluation gate: the new version is compared with the current champion on the new run's test split,
     * and becomes champion only if it is blessed.
     */
    public static final class Blessing {
        public boolean enabled = true;
        /** A test metric (rmse, mae, r2, accuracy, logLoss, macroF1, rocAuc); default rmse or accuracy by task. */
        public String metric;
        /** Which way is better; default: from the metric. */
        public BlessingGate.Direction direction;
        /** The least improvement over the champion, in the metric's units; negative allows a bounded loss. */
        public double minAbsoluteChange = 0;
        /** The least improvement relative to the champion's value (0.01 = 1%); negative allows a bounded loss. */
        public double minRelativeChange = 0;
        /** The alias a blessed version takes. */
        public String alias = "champion";
    }

    /** The name the model is registered under: {@code model.name}, else the pipeline's. */
    public String modelName() {
        return model.name != null && !model.name.isBlank() ? model.name : name;
    }

    public Path dataPath() {
        return Path.of(data.path);
    }
}
