package dev.caravan.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.cli.CaravanCli;
import dev.caravan.cli.CliContext;
import dev.caravan.data.DeployableModel;
import dev.caravan.data.FittedTransform;
import dev.caravan.onnx.OnnxMetadata;
import dev.caravan.onnx.OrtModel;
import dev.caravan.registry.ModelVersions;
import dev.caravan.testing.Csv;
import dev.caravan.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ensemble the pipeline kept, served from raw rows: one ONNX graph, answers equal to ONNX Runtime's. */
class EnsembleServingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * A smooth function without noise, learnt from few rows: what error is left comes from each network's own
     * start, so the mean of seeds beats each of them.
     */
    private Path smoothData() {
        SplittableRandom random = new SplittableRandom(4);
        List<String> lines = new ArrayList<>(List.of("x1,x2,kind,y"));
        for (int i = 0; i < 400; i++) {
            double x1 = random.nextDouble(-2, 2);
            double x2 = random.nextDouble(-1, 1);
            boolean up = random.nextBoolean();
            double y = Math.sin(2 * x1) + x2 * x2 + (up ? 0.5 : 0);
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%s,%.4f", x1, x2, up ? "up" : "down", y));
        }
        return Csv.write(dir, "smooth.csv", lines.toArray(String[]::new));
    }

    @Test
    void anEnsembleIsServedFromRawRowsLikeOnnxRuntimeInProcess() throws Exception {
        Path spec = dir.resolve("noisy.yaml");
        Files.write(
                spec,
                List.of(
                        "name: noisy",
                        "data:",
                        "  path: " + smoothData(),
                        "target: y",
                        "training:",
                        "  maxEpochs: 60",
                        "  candidates:",
                        "    hidden: [[64]]",
                        "    learningRate: [0.01]",
                        "  ensemble:",
                        "    size: 3"));
        try (TestDatabase db = TestDatabase.create()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = CaravanCli.execute(
                    new CliContext(
                            db.environment(dir.resolve("home")),
                            dir,
                            new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(err)),
                    "run",
                    "--pipeline",
                    spec.toString());
            assertThat(code).as(err.toString()).isZero();
            ModelVersions store = db.registry().versions();
            DeployableModel deployed = store.deployable("noisy", null, null).orElseThrow();
            byte[] bytes = Files.readAllBytes(Path.of(deployed.path()));
            assertThat(Integer.parseInt(OnnxMetadata.read(bytes).get("caravan.members")))
                    .as("members of the served model")
                    .isGreaterThan(1);

            try (ModelServer server = ModelServer.start("noisy", 0, TestLimits.patient(4096), 1);
                    ModelWatcher watcher =
                            new ModelWatcher("noisy", () -> store.deployable("noisy", null, null), server)) {
                assertThat(watcher.poll()).isTrue();
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/predict"))
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"rows\": [{\"x1\": 0.7, \"x2\": -0.2, \"kind\": \"up\"}]}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode answer = JSON.readTree(response.body());

                FittedTransform transform = OnnxMetadata.transform(bytes);
                double[] row = transform.encodeUnnormalized(Map.of("x1", 0.7, "x2", -0.2, "kind", "up"));
                try (OrtModel direct = OrtModel.load(bytes, row.length, "direct")) {
                    assertThat(answer.get("predictions").get(0).floatValue()).isEqualTo(direct.run(row, 1)[0]);
                }
            }
        }
    }
}
