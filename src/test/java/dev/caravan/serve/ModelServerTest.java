package dev.caravan.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.cli.CaravanCli;
import dev.caravan.cli.CliContext;
import dev.caravan.data.DeployableModel;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The model server against a model the real pipeline trained and registered. */
class ModelServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String VALID_ROW = "{\"size\": 12.5, \"color\": \"red\", \"owner\": true}";

    @TempDir
    static Path dir;

    private static TestDatabase db;
    private static ModelVersions store;
    private static ModelServer server;
    private static ModelWatcher watcher;

    @BeforeAll
    static void trainAndServe() throws Exception {
        db = TestDatabase.create();
        store = db.registry().versions();
        train();
        server = ModelServer.start("shop", 0, TestLimits.patient(4096), 4);
        assertThat(get("/v2/health/ready").statusCode())
                .as("not ready before a model loads")
                .isEqualTo(503);
        watcher = new ModelWatcher("shop", () -> store.deployable("shop", null, null), server);
        watcher.start(Duration.ofHours(1));
    }

    @AfterAll
    static void stop() {
        watcher.close();
        server.close();
        db.close();
    }

    /** Runs the real pipeline once more: a new version of model "shop". */
    private static void train() throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        List<String> lines = new ArrayList<>(List.of("size,color,owner,label"));
        for (int i = 0; i < 200; i++) {
            double size = random.nextDouble(0, 20);
            String color = List.of("red", "blue", "green").get(random.nextInt(3));
            boolean owner = random.nextBoolean();
            lines.add(String.format(
                    Locale.ROOT,
                    "%.2f,%s,%s,%s",
                    size,
                    color,
                    owner ? "yes" : "no",
                    size > 10 ^ color.equals("red") ? "buy" : "skip"));
        }
        Path data = Csv.write(dir, "shop.csv", lines.toArray(String[]::new));
        Path spec = dir.resolve("shop.yaml");
        Files.write(
                spec,
                List.of(
                        "name: shop",
                        "data:",
                        "  path: " + data,
                        "target: label",
                        "training:",
                        "  maxEpochs: 10",
                        "  candidates:",
                        "    hidden: [[16]]",
                        "    batchSize: [32]",
                        // blessed versions take another alias: these tests move champion themselves
                        "blessing:",
                        "  alias: blessed"));
        int code = CaravanCli.execute(
                new CliContext(
                        db.environment(dir.resolve("home")),
                        dir,
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(new ByteArrayOutputStream())),
                "run",
                "--pipeline",
                spec.toString());
        assertThat(code).isZero();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void predictsLikeOnnxRuntimeInProcess() throws Exception {
        HttpResponse<String> response = post(
                "/predict",
                "{\"rows\": [" + VALID_ROW + ", {\"size\": 3, \"color\":"
                        + " \"purple\", \"owner\": \"no\", \"label\": \"ignored\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("model").get("name").asText()).isEqualTo("shop");

        DeployableModel deployed =
                store.deployable("shop", server.model().version(), null).orElseThrow();
        byte[] bytes = Files.readAllBytes(Path.of(deployed.path()));
        var transform = OnnxMetadata.transform(bytes);
        double[] first = transform.encodeUnnormalized(Map.of("size", 12.5, "color", "red", "owner", true));
        double[] second = transform.encodeUnnormalized(Map.of("size", 3, "color", "purple", "owner", "no"));
        double[] features = new double[first.length * 2];
        System.arraycopy(first, 0, features, 0, first.length);
        System.arraycopy(second, 0, features, first.length, second.length);
        try (OrtModel direct = OrtModel.load(bytes, first.length, "direct")) {
            float[] expected = direct.run(features, 2);
            List<String> labels = transform.target().labels();
            for (int r = 0; r < 2; r++) {
                JsonNode probabilities = answer.get("predictions").get(r).get("probabilities");
                for (int k = 0; k < labels.size(); k++) {
                    assertThat(probabilities.get(labels.get(k)).floatValue())
                            .isEqualTo(expected[r * labels.size() + k]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown column|{\"rows\": [{\"size\": 1, \"color\": \"red\", \"owner\": true, \"age\": 3}]}|unknown column 'age'",
                "missing column|{\"rows\": [{\"size\": 1, \"color\": \"red\"}]}|rows[0]: column 'owner' is missing",
                "wrong type|{\"rows\": [{\"size\": \"big\", \"color\": \"red\", \"owner\": true}]}|column 'size' must be a numeric value",
                "NaN|{\"rows\": [{\"size\": NaN, \"color\": \"red\", \"owner\": true}]}|malformed JSON",
                "NaN as text|{\"rows\": [{\"size\": \"NaN\", \"color\": \"red\", \"owner\": true}]}|column 'size' must be a numeric value",
                "bad boolean|{\"rows\": [{\"size\": 1, \"color\": \"red\", \"owner\": \"maybe\"}]}|column 'owner': 'maybe' is not a valid boolean",
                "empty rows|{\"rows\": []}|'rows' is empty",
                "no rows|{\"data\": 1}|array field 'rows'",
                "malformed JSON|{\"rows\": [|malformed JSON"
            })
    void badRequestsGet400NamingTheField(String name, String body, String message) throws Exception {
        HttpResponse<String> response = post("/predict", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains(message);
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        HttpResponse<String> response =
                post("/predict", "{\"rows\": [" + (VALID_ROW + ",").repeat(200) + VALID_ROW + "]}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("over the 4096-byte limit");
    }

    @Test
    void speaksKServeV2() throws Exception {
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        JsonNode metadata = JSON.readTree(get("/v2/models/shop").body());
        int width = metadata.get("inputs").get(0).get("shape").get(1).asInt();
        StringBuilder data = new StringBuilder();
        for (int j = 0; j < width; j++) {
            data.append(j == 0 ? "" : ",").append(j % 2);
        }
        HttpResponse<String> infer = post(
                "/v2/models/shop/infer",
                "{\"inputs\": [{\"name\": \"features\", \"shape\":" + " [1, " + width
                        + "], \"datatype\": \"FP64\", \"data\": [" + data + "]}]}");
        assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
        JsonNode output = JSON.readTree(infer.body()).get("outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("probabilities");
        assertThat(output.get("data")).hasSize(2);
        assertThat(post("/v2/models/shop/infer", "{\"inputs\": []}").statusCode())
                .isEqualTo(400);
        assertThat(get("/v2/models/other").statusCode()).isEqualTo(404);
    }

    @Test
    void exposesPrometheusMetrics() throws Exception {
        post("/predict", "{\"rows\": [" + VALID_ROW + "]}");
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .contains(
                        "caravan_requests_total{endpoint=\"/predict\",status=\"200\"}",
                        "caravan_request_duration_seconds_bucket{status=\"200\",le=\"+Inf\"}",
                        "caravan_rows_per_request_count",
                        "caravan_model_info{name=\"shop\"");
    }

    @Test
    void microBatchedAnswersEqualSingleOnes() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(String.format(
                    Locale.ROOT,
                    "{\"rows\": [{\"size\": %d.5, \"color\": \"%s\", \"owner\": %s}]}",
                    i % 20,
                    i % 3 == 0 ? "red" : "blue",
                    i % 2 == 0));
        }
        try (ModelServer batching = ModelServer.start("shop", 0, TestLimits.patient(4096), 2, 16, 2000)) {
            batching.swap(ServedModel.load(
                    store.deployable("shop", server.model().version(), null).orElseThrow()));
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<String>> answers = new ArrayList<>();
            for (String row : rows) {
                answers.add(clients.submit(() -> HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + batching.port() + "/predict"))
                                        .POST(HttpRequest.BodyPublishers.ofString(row))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()));
            }
            for (int i = 0; i < rows.size(); i++) {
                JsonNode batched = JSON.readTree(answers.get(i).get()).get("predictions");
                JsonNode single =
                        JSON.readTree(post("/predict", rows.get(i)).body()).get("predictions");
                assertThat(batched).isEqualTo(single);
            }
            clients.shutdown();
        }
    }

    @Test
    void followsAnAliasWhenItMoves() throws Exception {
        int newest = store.deployable("shop", null, null).orElseThrow().version();
        store.promote("shop:1", "champion", true, "test", "test");
        try (ModelServer champion = ModelServer.start("shop", 0, TestLimits.patient(4096), 1);
                ModelWatcher follower =
                        new ModelWatcher("shop@champion", () -> store.deployable("shop", null, "champion"), champion)) {
            follower.start(Duration.ofHours(1));
            assertThat(champion.model().version()).isEqualTo(1);
            if (newest == 1) {
                train();
                newest = store.deployable("shop", null, null).orElseThrow().version();
            }
            follower.poll();
            assertThat(champion.model().version())
                    .as("a newer version alone does not move the alias")
                    .isEqualTo(1);
            store.promote("shop:" + newest, "champion", true, "test", "test");
            follower.poll();
            assertThat(champion.model().version()).isEqualTo(newest);
        }
        assertThatThrownBy(() -> store.promote("shop:999", "champion", true, "test", "test"))
                .hasMessageContaining("model shop has no version 999");
    }

    /** A new version registered while clients keep calling: it is swapped in and no request fails. */
    @Test
    void hotSwapsANewVersionWithoutFailingARequest() throws Exception {
        int before = server.model().version();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        Map<Integer, Boolean> versionsSeen = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            clients.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = post("/predict", "{\"rows\": [" + VALID_ROW + "]}");
                        if (response.statusCode() == 200) {
                            successes.incrementAndGet();
                            versionsSeen.put(
                                    JSON.readTree(response.body())
                                            .get("model")
                                            .get("version")
                                            .asInt(),
                                    true);
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            });
        }
        train();
        assertThat(watcher.poll()).isTrue();
        Thread.sleep(300);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        int newest = store.deployable("shop", null, null).orElseThrow().version();
        assertThat(newest).isGreaterThan(before);
        assertThat(server.model().version()).isEqualTo(newest);
        assertThat(failures.get()).isZero();
        assertThat(successes.get()).isPositive();
        assertThat(versionsSeen).containsKey(newest);
    }
}
