package dev.caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.cli.CaravanCli;
import dev.caravan.cli.CliContext;
import dev.caravan.onnx.OnnxMetadata;
import dev.caravan.onnx.OrtModel;
import dev.caravan.testing.ExternalTools;
import dev.caravan.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: a JRE base image built from the host JDK, a local registry, the pipeline pushing the model
 * server's image to it, podman running that image, and its answers compared with ONNX Runtime in-process.
 * Needs podman, buildah and docker-registry: under CI=true their absence fails the test; elsewhere it is skipped.
 */
class ContainerDeployTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "{\"Seniority\": 9, \"Home\": \"rent\", \"Time\": 60, \"Age\": 30, \"Marital\":"
            + " \"married\", \"Records\": \"no\", \"Job\": \"freelance\", \"Expenses\": 73, \"Income\": 129,"
            + " \"Assets\": 0, \"Debt\": 0, \"Amount\": 800, \"Price\": 846}";

    @TempDir
    Path dir;

    private final List<List<String>> cleanups = new ArrayList<>();

    @Test
    void thePushedImageServesWhatOnnxRuntimeComputes() throws Exception {
        ExternalTools.require("the container test", "podman", "runc", "buildah", "docker-registry", "unzip");
        int registryPort = freePort();
        int serverPort = freePort();
        Process registry = startRegistry(registryPort);
        try (TestDatabase db = TestDatabase.create()) {
            Path baseTar = dir.resolve("jre.tar");
            run(List.of(
                    "env",
                    "CARAVAN_ORT_JAR=" + onnxRuntimeJar(),
                    "bin/build-jre-image",
                    "localhost/caravan-jre-test:17",
                    baseTar.toString()));
            cleanups.add(List.of("podman", "rmi", "-f", "localhost/caravan-jre-test:17"));
            String image = "127.0.0.1:" + registryPort + "/caravan/container-test:{version}";
            Path spec = dir.resolve("spec.yaml");
            Files.write(
                    spec,
                    List.of(
                            "name: container-test",
                            "data:",
                            "  path: " + Path.of("examples/credit_data.csv").toAbsolutePath(),
                            "target: Status",
                            "training:",
                            "  maxEpochs: 15",
                            "deploy:",
                            "  target: registry",
                            "  insecureRegistry: true",
                            "  baseImage: tar://" + baseTar,
                            "  image: " + image,
                            "  port: " + serverPort));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = CaravanCli.execute(
                    new CliContext(
                            db.environment(dir.resolve("home")),
                            Path.of(""),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(new ByteArrayOutputStream())),
                    "run",
                    "--pipeline",
                    spec.toString(),
                    "--json");
            JsonNode report = JSON.readTree(out.toString(StandardCharsets.UTF_8));
            assertThat(code).as(String.valueOf(report.get("error"))).isZero();
            String pushed = report.get("deployment").get("image").asText();
            assertThat(report.get("deployment").get("digest").asText()).startsWith("sha256:");

            String container = "caravan-container-test-" + serverPort;
            cleanups.add(0, List.of("podman", "rm", "-f", container));
            cleanups.add(List.of("podman", "rmi", "-f", pushed));
            String nofile = "nofile=" + hardOpenFileLimit() + ":" + hardOpenFileLimit();
            run(List.of(
                    "podman",
                    "run",
                    "-d",
                    "--name",
                    container,
                    "--tls-verify=false",
                    "--runtime",
                    "runc",
                    "--cgroup-manager=cgroupfs",
                    "--network",
                    "host",
                    "--ulimit",
                    nofile,
                    "--ulimit",
                    "nproc=32768:32768",
                    pushed));
            waitUntilReady(serverPort, container);

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + "/predict"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"rows\": [" + ROW + "]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode served =
                    JSON.readTree(response.body()).get("predictions").get(0).get("probabilities");
            Map<String, Float> expected = inProcess(report);
            assertThat(expected).isNotEmpty();
            expected.forEach((label, probability) ->
                    assertThat(served.get(label).floatValue()).as(label).isEqualTo(probability));
        } finally {
            for (List<String> command : cleanups) {
                runQuietly(command);
            }
            registry.destroy();
            registry.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The same row through ONNX Runtime in this JVM, on the file the run deployed. */
    private static Map<String, Float> inProcess(JsonNode report) throws IOException {
        String kind = "onnx-" + report.get("onnx").get("chosen").asText();
        Path file = null;
        for (JsonNode artifact : report.get("artifacts")) {
            if (artifact.get("kind").asText().equals(kind)) {
                file = Path.of(artifact.get("path").asText());
            }
        }
        byte[] model = Files.readAllBytes(file);
        var transform = OnnxMetadata.transform(model);
        double[] features = transform.encodeUnnormalized(JSON.readValue(ROW, Map.class));
        try (OrtModel session = OrtModel.load(model, features.length, "in-process")) {
            float[] probabilities = session.run(features, 1);
            Map<String, Float> expected = new LinkedHashMap<>();
            for (int k = 0; k < probabilities.length; k++) {
                expected.put(transform.target().labels().get(k), probabilities[k]);
            }
            return expected;
        }
    }

    /** The ONNX Runtime jar on this test's class path: the base image needs the libraries its natives link. */
    private static String onnxRuntimeJar() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("onnxruntime-")) {
                return entry;
            }
        }
        return "";
    }

    private Process startRegistry(int port) throws IOException {
        Path config = dir.resolve("registry.yml");
        Files.write(
                config,
                List.of(
                        "version: 0.1",
                        "storage:",
                        "  filesystem:",
                        "    rootdirectory: " + dir.resolve("registry-data"),
                        "http:",
                        "  addr: 127.0.0.1:" + port));
        return new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
    }

    private static void waitUntilReady(int port, String container) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                if (client.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(500);
        }
        fail("the container never became ready; its log:\n" + run(List.of("podman", "logs", container)));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static void runQuietly(List<String> command) {
        try {
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(2, TimeUnit.MINUTES);
        } catch (IOException | InterruptedException e) {
            // best effort: nothing else to clean
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String hardOpenFileLimit() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", "ulimit -Hn").start();
        String limit = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return limit;
    }
}
