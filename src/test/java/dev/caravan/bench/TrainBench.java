package dev.caravan.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.clean.CleanResult;
import dev.caravan.clean.Cleaner;
import dev.caravan.clean.CleaningPolicy;
import dev.caravan.clean.MissingStrategy;
import dev.caravan.cli.CaravanCli;
import dev.caravan.cli.CliContext;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.Split;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.ingest.IngestResult;
import dev.caravan.split.Splitter;
import dev.caravan.train.Activation;
import dev.caravan.train.Engines;
import dev.caravan.train.Hyperparameters;
import dev.caravan.train.LearningRateSchedule;
import dev.caravan.train.LossKind;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.Monitor;
import dev.caravan.train.OptimizerKind;
import dev.caravan.train.TaskShape;
import dev.caravan.transform.TransformFitter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * For bench/train.sh, one measurement per JVM: the real pipeline's train stage (one 20-64-32-1 candidate, a fixed
 * number of epochs; its recorded wall time), Caravan's MlpTrainer alone, or a bare DJL loop doing the same work
 * on the same encoded rows (batches, Adam, a validation forward pass per epoch: what any early-stopped loop
 * does). Not a test.
 */
public final class TrainBench {
    private TrainBench() {}

    /**
     * {@code TrainBench MODE CSV EPOCHS OUT_DIR}, MODE one of: {@code prepare} (write the encoded training rows
     * for PyTorch), {@code bare}, {@code trainer}, {@code pipeline}. Each timed mode runs in a fresh JVM, once, with
     * the PyTorch engine loaded before the clock starts, and prints {@code name seconds samples_per_second}.
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path csv = Path.of(args[1]);
        int epochs = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        Engines.pytorch();
        if (mode.equals("pipeline")) {
            Path home = Files.createTempDirectory("caravan-train-bench");
            JsonNode run = runPipeline(home, writeSpec(home, csv, epochs));
            report("pipeline_train_stage", stageSeconds(run, "train"), trainRows(run) * epochs);
            return;
        }
        EncodedSplits splits = encode(csv);
        long samples = (long) splits.train().rows() * epochs;
        switch (mode) {
            case "prepare" -> writeForPython(out.resolve("train_rows.f32"), splits.train());
            case "bare" -> report("djl_bare", bareLoop(splits.train(), splits.validation(), epochs), samples);
            case "trainer" -> report(
                    "caravan_trainer", trainerOnly(splits.train(), splits.validation(), epochs), samples);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static void report(String name, double seconds, long samples) {
        System.out.printf(Locale.ROOT, "%s %.4f %.0f%n", name, seconds, samples / seconds);
    }

    private static long trainRows(JsonNode run) {
        for (JsonNode stage : run.get("stages")) {
            if (stage.get("name").asText().equals("train")) {
                return stage.get("rowsIn").asLong();
            }
        }
        throw new IllegalStateException("no train stage");
    }

    private static Path writeSpec(Path home, Path csv, int epochs) throws Exception {
        Path spec = home.resolve("bench.yaml");
        Files.writeString(
                spec,
                String.join(
                        "\n",
                        "name: train-bench",
                        "data:",
                        "  path: " + csv.toAbsolutePath(),
                        "target: y",
                        "task: regression",
                        "cleaning:",
                        "  missing: drop",
                        "training:",
                        "  device: cpu",
                        "  maxEpochs: " + epochs,
                        "  patience: " + epochs,
                        "  candidates:",
                        "    hidden: [[64, 32]]",
                        "    learningRate: [0.001]",
                        "    batchSize: [256]",
                        "    dropout: [0.0]",
                        ""));
        return spec;
    }

    private static JsonNode runPipeline(Path home, Path spec) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int code = CaravanCli.execute(
                new CliContext(
                        Map.of("CARAVAN_HOME", home.toString()),
                        Path.of("."),
                        new PrintStream(stdout, true, StandardCharsets.UTF_8),
                        quiet),
                "run",
                "--pipeline",
                spec.toString(),
                "--json");
        JsonNode run = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("pipeline failed: " + run.get("error"));
        }
        return run;
    }

    /** The rows the pipeline trained on: its stages with the spec's (default) settings give the same split. */
    private static EncodedSplits encode(Path csv) {
        IngestResult ingested = CsvIngestor.builder().setFile(csv).build().ingest();
        CleanResult cleaned = new Cleaner(CleaningPolicy.builder()
                        .setTarget("y")
                        .optMissing(MissingStrategy.DROP)
                        .build())
                .clean(ingested.table(), csv.resolveSibling("bench-quarantine.csv"));
        Split split = Splitter.builder().build().split(cleaned.table().column("y"), false);
        return TransformFitter.builder()
                .setTarget("y")
                .setClassification(false)
                .optImputed(cleaned.imputed())
                .build()
                .fitAndEncode(cleaned.table(), split);
    }

    /** rows, columns (int32 LE), then features and targets (float32 LE), for bench/torch_train.py. */
    private static void writeForPython(Path file, FeatureMatrix matrix) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(8 + 4 * (matrix.features().length + matrix.targets().length))
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(matrix.rows()).putInt(matrix.columns());
        buffer.asFloatBuffer().put(matrix.features()).put(matrix.targets());
        Files.write(file, buffer.array());
    }

    private static double stageSeconds(JsonNode run, String stage) {
        for (JsonNode node : run.get("stages")) {
            if (node.get("name").asText().equals(stage)) {
                return node.get("durationMs").asLong() / 1000.0;
            }
        }
        throw new IllegalStateException("no stage " + stage);
    }

    /** Caravan's MlpTrainer alone, as the train stage calls it, without the stage around it. */
    private static double trainerOnly(FeatureMatrix train, FeatureMatrix validation, int epochs) {
        Hyperparameters hp = new Hyperparameters(
                List.of(64, 32),
                Activation.RELU,
                0,
                OptimizerKind.ADAM,
                0.9,
                0.001,
                0,
                256,
                epochs,
                LearningRateSchedule.CONSTANT,
                LossKind.MSE);
        long started = System.nanoTime();
        new MlpTrainer(
                        new TaskShape(false, 1, 1),
                        Device.cpu(),
                        42,
                        Monitor.VAL_LOSS,
                        epochs,
                        0,
                        (candidate, stats, bestEpoch, bestValue) -> {})
                .train(0, hp, train, validation);
        return (System.nanoTime() - started) / 1e9;
    }

    /** The plainest DJL loop for the same work: shuffled batches, Adam, one validation forward pass per epoch. */
    static double bareLoop(FeatureMatrix train, FeatureMatrix validation, int epochs) {
        Engines.pytorch().setRandomSeed(42);
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(64).build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(Linear.builder().setUnits(32).build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());
        int width = train.columns();
        long started = System.nanoTime();
        try (Model model = Model.newInstance("bare", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss("mse", 1))
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.001f))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, width));
                SplittableRandom random = new SplittableRandom(42);
                float[] x = new float[256 * width];
                float[] y = new float[256];
                for (int epoch = 0; epoch < epochs; epoch++) {
                    int[] order = shuffled(train.rows(), random);
                    for (int start = 0; start < train.rows(); start += 256) {
                        int size = Math.min(256, train.rows() - start);
                        for (int i = 0; i < size; i++) {
                            System.arraycopy(train.features(), order[start + i] * width, x, i * width, width);
                            y[i] = train.targets()[order[start + i]];
                        }
                        try (NDManager scope = trainer.getManager().newSubManager();
                                GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray labels = scope.create(Arrays.copyOf(y, size), new Shape(size));
                            NDArray inputs = scope.create(Arrays.copyOf(x, size * width), new Shape(size, width));
                            NDArray loss =
                                    trainer.getLoss().evaluate(new NDList(labels), trainer.forward(new NDList(inputs)));
                            collector.backward(loss);
                        }
                        trainer.step();
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        block.forward(
                                        new ParameterStore(scope, false),
                                        new NDList(scope.create(
                                                validation.features(), new Shape(validation.rows(), width))),
                                        false)
                                .singletonOrThrow()
                                .toFloatArray();
                    }
                }
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static int[] shuffled(int rows, SplittableRandom random) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
