package dev.caravan.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.onnx.OnnxExporter;
import dev.caravan.testing.SyntheticRegression;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot swaps under load: a retired model closes only once its last request is done, so no request fails. */
class HotSwapTest {
    private static final int WIDTH = 3;
    private static final String ROW = "{\"rows\": [{\"x0\": 1, \"x1\": 2, \"x2\": 3}]}";
    private static final String ROWS =
            "{\"rows\": [" + String.join(",", Collections.nCopies(50, "{\"x0\": 1, \"x1\": 2, \"x2\": 3}")) + "]}";

    @TempDir
    Path dir;

    @Test
    void eightClientsSeeNo5xxWhileTheVersionChangesEvery50Ms() throws Exception {
        Path model = Files.write(dir.resolve("model.onnx"), SyntheticRegression.onnx(WIDTH));
        String infer = "{\"inputs\": [{\"name\": \"" + OnnxExporter.INPUT
                + "\", \"datatype\": \"FP64\", \"shape\": [2, 3], \"data\": [1, 2, 3, 4, 5, 6]}]}";
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        int swaps = 0;
        try (ModelServer server =
                ModelServer.start("swapped", 0, TestLimits.patient(ModelServer.DEFAULT_MAX_BODY_BYTES), 2, 16, 200)) {
            server.swap(ServedModel.loadFile(model));
            HttpClient http = HttpClient.newHttpClient();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<?>> running8 = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                String path = c % 2 == 0 ? "/predict" : "/v2/models/swapped/infer";
                String body = c % 2 == 0 ? (c % 4 == 0 ? ROW : ROWS) : infer;
                running8.add(clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> response = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    return null;
                }));
            }
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(50);
                server.swap(ServedModel.loadFile(model));
                swaps++;
            }
            running.set(false);
            for (Future<?> client : running8) {
                client.get(1, TimeUnit.MINUTES);
            }
            clients.shutdown();
        }

        System.out.printf("hot swap: %d swaps in 30 s, answers by status %s%n", swaps, statuses);
        assertThat(swaps).isGreaterThan(100);
        assertThat(statuses.keySet()).as("statuses seen: " + statuses).containsOnly(200);
        assertThat(statuses.get(200).get()).isGreaterThan(1000);
    }

    @Test
    void readinessFailsWhileALoopTheServerNeedsIsDead() throws Exception {
        Path model = Files.write(dir.resolve("model.onnx"), SyntheticRegression.onnx(WIDTH));
        AtomicBoolean alive = new AtomicBoolean(true);
        try (ModelServer server =
                ModelServer.start("watched", 0, TestLimits.patient(ModelServer.DEFAULT_MAX_BODY_BYTES), 1)) {
            server.swap(ServedModel.loadFile(model));
            server.dependOn("model watcher", alive::get);
            HttpClient http = HttpClient.newHttpClient();
            URI ready = URI.create("http://127.0.0.1:" + server.port() + "/v2/health/ready");

            assertThat(http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            alive.set(false);
            HttpResponse<String> dead =
                    http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(dead.statusCode()).isEqualTo(503);
            assertThat(dead.body()).contains("\"deadLoops\":[\"model watcher\"]");
            assertThat(dead.headers().firstValue("Retry-After")).hasValue("1");
        }
    }
}
