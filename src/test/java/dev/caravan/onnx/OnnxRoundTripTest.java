package dev.caravan.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.caravan.data.Column;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.Split;
import dev.caravan.data.Table;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.split.Splitter;
import dev.caravan.testing.Csv;
import dev.caravan.train.Activation;
import dev.caravan.train.Ensemble;
import dev.caravan.train.Hyperparameters;
import dev.caravan.train.LearningRateSchedule;
import dev.caravan.train.LossKind;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.Monitor;
import dev.caravan.train.OptimizerKind;
import dev.caravan.train.Scores;
import dev.caravan.train.TaskShape;
import dev.caravan.train.TrainedCandidate;
import dev.caravan.train.TrainedModel;
import dev.caravan.transform.TransformFitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tribuo-style round trip: export, run in ONNX Runtime, compare with DJL within tolerance; then feed raw rows
 * through the encoding in the model's own metadata and compare with the pipeline's transform.
 */
class OnnxRoundTripTest {
    @TempDir
    Path dir;

    private Table table(boolean categorical) {
        SplittableRandom random = new SplittableRandom(5);
        List<String> lines = new ArrayList<>(List.of(categorical ? "a,b,kind,day,y,label" : "a,b,y,label"));
        for (int i = 0; i < 240; i++) {
            double a = random.nextDouble(-3, 3);
            double b = random.nextDouble(0, 100);
            String kind = List.of("red", "green", "blue").get(random.nextInt(3));
            double y = 2 * a + b / 50 + (kind.equals("red") ? 1 : 0);
            String label = y > 1.5 ? "high" : y > -1 ? "mid" : "low";
            lines.add(
                    categorical
                            ? String.format(
                                    Locale.ROOT, "%.3f,%.2f,%s,2024-03-%02d,%.4f,%s", a, b, kind, 1 + i % 28, y, label)
                            : String.format(Locale.ROOT, "%.3f,%.2f,%.4f,%s", a, b, y, label));
        }
        return CsvIngestor.builder()
                .setFile(Csv.write(dir, "data.csv", lines.toArray(String[]::new)))
                .build()
                .ingest()
                .table();
    }

    /** An ensemble of {@code members} exports as one graph (parallel branches, then a mean) and keeps parity too. */
    @ParameterizedTest(name = "classification={0}, categorical={1}, activation={2}, members={3}")
    @CsvSource({
        "false,false,RELU,1",
        "false,true,GELU,1",
        "true,false,TANH,1",
        "true,true,RELU,1",
        "false,true,RELU,3",
        "true,true,GELU,3"
    })
    void exportedModelMatchesDjlAndEncodesRawRowsFromItsMetadata(
            boolean classification, boolean categorical, Activation activation, int members) throws Exception {
        Table table = table(categorical).select(IntStream.range(0, 240).toArray());
        String target = classification ? "label" : "y";
        Table features = dropOther(table, classification ? "y" : "label");
        Split split = Splitter.builder().build().split(features.column(target), classification);
        EncodedSplits encoded = TransformFitter.builder()
                .setTarget(target)
                .setClassification(classification)
                .build()
                .fitAndEncode(features, split);
        FittedTransform transform = encoded.transform();
        TaskShape task = TaskShape.of(transform);
        List<TrainedModel> trained = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            TrainedCandidate candidate = new MlpTrainer(
                            task, Device.cpu(), 1 + m, Monitor.VAL_LOSS, 3, 0, (c, s, b, v) -> {})
                    .train(
                            m,
                            new Hyperparameters(
                                    m == 1 ? List.of(12) : List.of(16, 8),
                                    activation,
                                    0,
                                    OptimizerKind.ADAM,
                                    0.9,
                                    0.01,
                                    0,
                                    32,
                                    15,
                                    LearningRateSchedule.CONSTANT,
                                    LossKind.MSE),
                            encoded.train(),
                            encoded.validation());
            trained.add(new TrainedModel(candidate.architecture(), candidate.parameters()));
        }
        Ensemble model = new Ensemble(trained, classification);

        byte[] onnx = OnnxExporter.exportFp32(model.weights(), transform, Map.of("caravan.model.name", "t"));
        double[] unnormalized = transform.encodeUnnormalized(features, split.test());
        float[] ort;
        try (OrtModel session = OrtModel.load(onnx, transform.featureCount(), "fp32")) {
            ort = session.run(unnormalized, split.test().length);
        }
        float[] djl = Scores.served(transform, model.outputs(encoded.test()));
        double scale = classification ? 1 : 1 / transform.target().scale();
        assertThat(maxAbsDifference(ort, djl) / scale).isLessThan(1e-4);

        FittedTransform fromMetadata = OnnxMetadata.transform(onnx);
        for (int i = 0; i < split.test().length; i++) {
            Map<String, Object> raw = new HashMap<>();
            for (String name : features.columnNames()) {
                raw.put(name, features.column(name).render(split.test()[i]));
            }
            double[] vector = fromMetadata.encodeUnnormalized(raw);
            for (int j = 0; j < vector.length; j++) {
                assertThat(vector[j]).isEqualTo(unnormalized[i * vector.length + j]);
            }
        }
        assertThat(OnnxMetadata.read(onnx))
                .containsEntry("caravan.model.name", "t")
                .containsEntry("caravan.task", transform.task())
                .containsEntry("caravan.members", String.valueOf(members));
    }

    /** Epoch milliseconds lose their low digits in float: the graph must normalize them in double, as DJL's input did. */
    @Test
    void largeMagnitudeColumnsKeepParity() throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        List<String> lines = new ArrayList<>(List.of("stamp,y"));
        for (int i = 0; i < 200; i++) {
            long stamp = 1_700_000_000_000L + random.nextLong(86_400_000L);
            lines.add(stamp + "," + String.format(Locale.ROOT, "%.4f", Math.sin((stamp - 1_700_000_000_000L) / 2e7)));
        }
        Table table = CsvIngestor.builder()
                .setFile(Csv.write(dir, "stamps.csv", lines.toArray(String[]::new)))
                .build()
                .ingest()
                .table();
        Split split = Splitter.builder().build().split(table.column("y"), false);
        EncodedSplits encoded = TransformFitter.builder()
                .setTarget("y")
                .setClassification(false)
                .build()
                .fitAndEncode(table, split);
        FittedTransform transform = encoded.transform();
        TrainedCandidate candidate = new MlpTrainer(
                        TaskShape.of(transform), Device.cpu(), 1, Monitor.VAL_LOSS, 3, 0, (c, s, b, v) -> {})
                .train(
                        0,
                        new Hyperparameters(
                                List.of(16),
                                Activation.TANH,
                                0,
                                OptimizerKind.ADAM,
                                0.9,
                                0.01,
                                0,
                                32,
                                10,
                                LearningRateSchedule.CONSTANT,
                                LossKind.MSE),
                        encoded.train(),
                        encoded.validation());
        TrainedModel model = new TrainedModel(candidate.architecture(), candidate.parameters());
        byte[] onnx = OnnxExporter.exportFp32(List.of(model.weights()), transform, Map.of());
        try (OrtModel session = OrtModel.load(onnx, transform.featureCount(), "fp32")) {
            float[] ort = session.run(transform.encodeUnnormalized(table, split.test()), split.test().length);
            float[] djl = Scores.served(transform, model.outputs(encoded.test()));
            assertThat(maxAbsDifference(ort, djl) * transform.target().scale()).isLessThan(1e-4);
        }
    }

    private static Table dropOther(Table table, String column) {
        List<Column> kept = new ArrayList<>(table.columns());
        kept.removeIf(c -> c.name().equals(column));
        return new Table(table.source(), kept, table.lineNumbers(), Map.of());
    }

    static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
