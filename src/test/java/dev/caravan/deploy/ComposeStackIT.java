package dev.caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.onnx.OnnxMetadata;
import dev.caravan.onnx.OrtModel;
import dev.caravan.testing.Await;
import dev.caravan.testing.ExternalTools;
import dev.caravan.testing.TinyPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml brought up for real: docker-compose v1 against a private podman service, with local stand-ins
 * for the images that cannot be pulled (src/test/compose). Runs go through the API; the model server follows the
 * champion; a PostgreSQL restart, a SIGKILL of caravan and a down/up lose nothing and register nothing twice.
 */
class ComposeStackIT {
    private static final Path SCRIPTS = Path.of("src/test/compose").toAbsolutePath();
    private static final String PROJECT = "caravan-it";
    private static final String MODEL = "stack-model";
    private static final String TOKEN = "compose-stack-test-" + Long.toHexString(System.nanoTime());
    private static final String ROW = "{\"a\": 0.5, \"b\": -1.25}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stack's services logged, kept for whoever reads a failure. */
    private static final Path LOGS = Path.of("target/compose-stack.log");

    @TempDir
    Path dir;

    private final long start = System.nanoTime();

    private HttpClient http = newClient();
    private final Map<String, String> environment = new HashMap<>();
    private String engineAddress;

    @Test
    void theStackServesTheChampionAndSurvivesItsFaults() throws Exception {
        ExternalTools.require(
                "the compose stack test",
                "podman",
                "runc",
                "docker-compose",
                "debootstrap",
                "docker-registry",
                "nsenter",
                "ip",
                "iptables");
        requireRoot();
        Files.deleteIfExists(LOGS);
        Path engine = dir.resolve("engine");
        try {
            startEngine(engine);
            step("engine started");
            script(
                    "stand-ins.sh",
                    Path.of(System.getProperty("user.home"), ".cache/caravan/compose-it")
                            .toString());
            writePipelines(dir.resolve("pipelines"));
            compose("up", "-d", "--build");
            awaitApi();
            step("stand-ins and the caravan image built; stack up");

            String first = startRun("weak");
            assertThat(awaitEnd(first).path("status").asText()).isEqualTo("SUCCEEDED");
            servesWhatOnnxRuntimeComputes(awaitServedVersion(1), run(first));
            step("run 1 SUCCEEDED; /predict answers as ONNX Runtime in-process");

            String startedAt = startedAt("model-server");
            String second = startRun("strong");
            assertThat(awaitEnd(second).path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(get("/api/models/" + MODEL + "/aliases/champion")
                            .path("version")
                            .asInt())
                    .as("the better run moved the champion")
                    .isEqualTo(2);
            servesWhatOnnxRuntimeComputes(awaitServedVersion(2), run(second));
            assertThat(startedAt("model-server"))
                    .as("followed without a restart")
                    .isEqualTo(startedAt);
            step("run 2 moved the champion; the model server follows it without a restart");

            String throughRestart = startRun("outage");
            awaitTraining(throughRestart);
            compose("restart", "postgres");
            Instant restarted = Instant.now();
            JsonNode survivor = awaitEnd(throughRestart);
            assertThat(survivor.path("status").asText())
                    .as("a PostgreSQL restart during training costs the run nothing")
                    .isEqualTo("SUCCEEDED");
            assertThat(Instant.parse(stage(survivor, "train").path("finishedAt").asText()))
                    .as("its training was recorded after the restart: the run lived through it")
                    .isAfter(restarted);
            step("run 3 SUCCEEDED through a PostgreSQL restart during its training");

            String killed = startRun("crash");
            awaitTraining(killed);
            compose("kill", "-s", "SIGKILL", "caravan");
            compose("up", "-d", "caravan");
            awaitApi();
            JsonNode abandoned = awaitEnd(killed);
            assertThat(abandoned.path("status").asText()).isEqualTo("FAILED");
            assertThat(abandoned.path("error").asText()).startsWith("abandoned").doesNotContain("\n");
            post("/api/runs/" + killed + "/resume", 202);
            assertThat(awaitEnd(killed).path("status").asText())
                    .as("resumed through the API")
                    .isEqualTo("SUCCEEDED");
            step("run 4, SIGKILLed with caravan during training, swept FAILED and resumed to SUCCEEDED");
            oneVersionPerRun(List.of(first, second, throughRestart, killed));
            assertThat(get("/api/runs?limit=100").path("runs").findValuesAsText("status"))
                    .as("no run left RUNNING")
                    .hasSize(4)
                    .containsOnly("SUCCEEDED");

            JsonNode runsBefore = get("/api/runs?limit=100").path("runs");
            JsonNode versionsBefore = get("/api/models/" + MODEL + "/versions").path("versions");
            saveLogs();
            compose("down");
            compose("up", "-d");
            awaitApi();
            assertThat(get("/api/runs?limit=100").path("runs")).isEqualTo(runsBefore);
            assertThat(get("/api/models/" + MODEL + "/versions").path("versions"))
                    .isEqualTo(versionsBefore);
            artifactsAreIntact(List.of(first, second, throughRestart, killed));
            awaitServedVersion(champion());
            step("down and up: every run, version and artifact is still there");

            saveLogs();
            compose("down", "--volumes", "--remove-orphans");
            assertThat(engineLists("ps", "-a")).as("containers left").isEmpty();
            assertThat(engineLists("volume", "ls")).as("volumes left").isEmpty();
            assertThat(engineLists("network", "ls")).as("networks left").isEmpty();
            step("torn down: no container, volume or network left");
        } finally {
            if (!environment.isEmpty()) {
                quietly(this::saveLogs);
                quietly(() -> compose("down", "--volumes", "--remove-orphans"));
            }
            script("stack.sh", "stop", engine.toString());
        }
    }

    /** Appends what the services logged since they were created (down removes them, and their logs). */
    private void saveLogs() throws IOException, InterruptedException {
        if (!engineLists("ps", "-a").isEmpty()) {
            Files.write(
                    LOGS,
                    composeOutput("logs", "--no-color", "--timestamps"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private void step(String done) {
        System.out.printf("compose stack test, %4d s: %s%n", (System.nanoTime() - start) / 1_000_000_000, done);
    }

    private static void requireRoot() {
        if (System.getProperty("user.name").equals("root")) {
            return;
        }
        String message = "the compose stack test runs a rootful podman in a network namespace: run it as root";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }

    private void startEngine(Path engine) throws IOException, InterruptedException {
        for (String line : script("stack.sh", "start", engine.toString()).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                environment.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        engineAddress = environment.get("CARAVAN_IT_ENGINE_ADDRESS");
        environment.put("CARAVAN_API_TOKEN", TOKEN);
        environment.put("CARAVAN_IT_PIPELINES", dir.resolve("pipelines").toString());
    }

    /**
     * Four pipelines on one dataset that register one model: a weak one (one epoch), then stronger ones that train
     * long enough for a fault to land in their training, each with a seed of its own (so no step is cached).
     */
    private static void writePipelines(Path pipelines) throws IOException {
        Files.createDirectories(pipelines);
        pipeline(pipelines, "weak", 1, 1);
        pipeline(pipelines, "strong", 300, 2);
        pipeline(pipelines, "outage", 300, 3);
        pipeline(pipelines, "crash", 300, 4);
    }

    private static void pipeline(Path pipelines, String name, int epochs, int seed) throws IOException {
        Path spec = TinyPipeline.write(pipelines, name, "model:", "  name: " + MODEL);
        Files.writeString(
                spec,
                Files.readString(spec)
                        .replace("maxEpochs: 5", "maxEpochs: " + epochs + "\n  seed: " + seed)
                        .replace("patience: 5", "patience: " + epochs));
    }

    private String startRun(String pipeline) throws IOException, InterruptedException {
        return post("/api/pipelines/" + pipeline + "/runs", 202).path("runId").asText();
    }

    private JsonNode run(String id) throws IOException, InterruptedException {
        return get("/api/runs/" + id);
    }

    private JsonNode awaitEnd(String id) {
        JsonNode[] last = new JsonNode[1];
        Await.until("run " + id + " to end", Duration.ofMinutes(3), () -> {
            last[0] = answer("/api/runs/" + id);
            return last[0] != null && !last[0].path("status").asText().equals("RUNNING");
        });
        return last[0];
    }

    private static JsonNode stage(JsonNode run, String name) {
        for (JsonNode stage : run.path("stages")) {
            if (stage.path("name").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("run " + run.path("runId") + " has no stage " + name);
    }

    private void awaitTraining(String id) {
        Await.until("run " + id + " to train", Duration.ofMinutes(2), () -> {
            JsonNode run = answer("/api/runs/" + id);
            if (run == null) {
                return false;
            }
            for (JsonNode stage : run.path("stages")) {
                if (stage.path("name").asText().equals("train")
                        && stage.path("status").asText().equals("RUNNING")) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * A client with an empty connection pool: a kept-alive connection to a container that is gone points at an
     * address nobody answers from, and a request on it would hang until its timeout.
     */
    private static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Waits for the API after the stack (re)started, on fresh connections. */
    private void awaitApi() {
        http = newClient();
        Await.until("the API to answer", Duration.ofMinutes(2), () -> answer("/api/health") != null);
    }

    private int champion() throws IOException, InterruptedException {
        return get("/api/models/" + MODEL + "/aliases/champion").path("version").asInt();
    }

    /** Waits until {@code /predict} answers from that version; returns the answer. */
    private JsonNode awaitServedVersion(int version) {
        JsonNode[] last = new JsonNode[1];
        Await.until("the model server to serve version " + version, Duration.ofMinutes(2), () -> {
            last[0] = predict();
            return last[0] != null && last[0].path("model").path("version").asInt() == version;
        });
        return last[0];
    }

    /** The served prediction equals ONNX Runtime's in this JVM on the chosen ONNX file of the version's run. */
    private void servesWhatOnnxRuntimeComputes(JsonNode served, JsonNode run) throws Exception {
        String kind = "onnx-" + run.path("onnx").path("chosen").asText();
        String path = null;
        for (JsonNode artifact : run.path("artifacts")) {
            if (artifact.path("kind").asText().equals(kind)) {
                path = artifact.path("path").asText();
            }
        }
        assertThat(path).as("the run's " + kind + " artifact").isNotNull();
        byte[] model = composeOutput("exec", "-T", "caravan", "cat", path);
        var transform = OnnxMetadata.transform(model);
        double[] features = transform.encodeUnnormalized(JSON.readValue(ROW, Map.class));
        try (OrtModel session = OrtModel.load(model, features.length, "in-process")) {
            float expected = session.run(features, 1)[0];
            assertThat(served.path("predictions").get(0).floatValue()).isEqualTo(expected);
        }
    }

    private void oneVersionPerRun(List<String> runs) throws IOException, InterruptedException {
        List<String> registeredBy = new ArrayList<>();
        for (JsonNode version : get("/api/models/" + MODEL + "/versions").path("versions")) {
            registeredBy.add(version.path("runId").asText());
        }
        assertThat(registeredBy).as("one version per run").containsExactlyInAnyOrderElementsOf(runs);
    }

    /** Every artifact of the runs is still in the volume, with the sha256 the run store recorded. */
    private void artifactsAreIntact(List<String> runs) throws IOException, InterruptedException {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String id : runs) {
            for (JsonNode artifact : run(id).path("artifacts")) {
                recorded.put(
                        artifact.path("path").asText(), artifact.path("sha256").asText());
            }
        }
        List<String> command = new ArrayList<>(List.of("exec", "-T", "caravan", "sha256sum"));
        command.addAll(recorded.keySet());
        Map<String, String> found = new HashMap<>();
        for (String line :
                new String(composeOutput(command.toArray(String[]::new)), StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2) {
                found.put(parts[1], parts[0]);
            }
        }
        assertThat(found).isEqualTo(recorded);
    }

    private String startedAt(String service) throws IOException, InterruptedException {
        String id = new String(composeOutput("ps", "-q", service), StandardCharsets.UTF_8).trim();
        return new String(engineOutput("inspect", "--format", "{{.State.StartedAt}}", id), StandardCharsets.UTF_8)
                .trim();
    }

    /** What the engine still holds of this project. */
    private List<String> engineLists(String... what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(what));
        command.addAll(List.of("--filter", "label=com.docker.compose.project=" + PROJECT, "-q"));
        String output = new String(engineOutput(command.toArray(String[]::new)), StandardCharsets.UTF_8).trim();
        return output.isEmpty() ? List.of() : List.of(output.split("\n"));
    }

    private JsonNode predict() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + engineAddress + ":8080/predict"))
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"rows\": [" + ROW + "]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null; // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A GET that may not be answered yet: null until it is, with 200. */
    private JsonNode answer(String path) {
        try {
            return get(path);
        } catch (IOException | AssertionError e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(api(path)).GET(), 200);
    }

    private JsonNode post(String path, int status) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(api(path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody()),
                status);
    }

    private URI api(String path) {
        return URI.create("http://" + engineAddress + ":8090" + path);
    }

    private JsonNode send(HttpRequest.Builder request, int status) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private void compose(String... arguments) throws IOException, InterruptedException {
        composeOutput(arguments);
    }

    private byte[] composeOutput(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "docker-compose",
                "--project-name",
                PROJECT,
                "--file",
                "docker-compose.yml",
                "--file",
                SCRIPTS.resolve("stand-ins.yml").toString()));
        command.addAll(List.of(arguments));
        return execute(command);
    }

    /** podman, on the test's engine (its storage, in its network namespace's view). */
    private byte[] engineOutput(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--url", environment.get("DOCKER_HOST")));
        command.addAll(List.of(arguments));
        return execute(command);
    }

    private String script(String name, String... arguments) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
        command.addAll(List.of(arguments));
        return new String(execute(command), StandardCharsets.UTF_8);
    }

    private byte[] execute(List<String> command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + Files.readString(errors));
        }
        return output;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            // tearing down after a failure that is already reported
        }
    }
}
