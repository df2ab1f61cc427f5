package dev.caravan.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.onnx.OnnxExporter;
import dev.caravan.testing.Heap;
import dev.caravan.testing.SlowClient;
import dev.caravan.testing.SyntheticRegression;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests built to hurt the model server: sizes it must not trust, bodies it must not keep, clients that never
 * finish. Each gets its 4xx, nothing gets a 5xx, and a valid request succeeds afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestTest {
    /** What the attacks may leave on the heap once collected: their bodies alone would be far more. */
    private static final long HEAP_BOUND_BYTES = 16L << 20;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static long heapBefore;
    private static final int MAX_ROWS = 1000;
    private static final int WIDTH = 3;
    private static ModelServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void serve() throws Exception {
        server = ModelServer.start(
                "hostile",
                0,
                new ModelServer.Limits(1 << 20, MAX_ROWS, Duration.ofSeconds(2), Duration.ofSeconds(1)),
                2,
                8,
                200);
        server.swap(ServedModel.loadFile(Files.write(dir.resolve("model.onnx"), SyntheticRegression.onnx(WIDTH))));
        answersAfterwards();
        heapBefore = Heap.retained();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String infer(String shape, String data) {
        return "{\"inputs\": [{\"name\": \"" + OnnxExporter.INPUT + "\", \"datatype\": \"FP64\", \"shape\": " + shape
                + ", \"data\": " + data + "}]}";
    }

    private static void answersAfterwards() throws Exception {
        HttpResponse<String> valid = post("/v2/models/hostile/infer", infer("[1, 3]", "[0.1, 0.2, 0.3]"));
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
        HttpResponse<String> row = post("/predict", "{\"rows\": [{\"x0\": 1, \"x1\": 2, \"x2\": 3}]}");
        assertThat(row.statusCode()).as(row.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[200000000, 3]", // the ~150-byte request that used to allocate 4.8 GB
                "[4294967296, 3]", // past int
                "[99999999999999999999999, 3]", // past long
                "[1e9, 3]",
                "[1.5, 3]",
                "[-1, 3]",
                "[0, 3]",
                "[2, 4]",
                "[1001, 3]", // one over --max-rows
                "[\"2\", 3]",
                "[2]",
                "[[2], 3]"
            })
    void aShapeTheDataDoesNotBearOutIsRefusedBeforeAnythingIsSized(String shape) throws Exception {
        HttpResponse<String> response = post("/v2/models/hostile/infer", infer(shape, "[1, 2, 3]"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("inputs[0]");
        answersAfterwards();
    }

    @Test
    void aShapeWithinTheLimitStillNeedsItsNumbers() throws Exception {
        HttpResponse<String> response = post("/v2/models/hostile/infer", infer("[1000, 3]", "[1, 2, 3]"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("inputs[0].data holds 3 numbers, the shape needs 3000");
    }

    @Test
    void hundredsOfThousandsOfEmptyRowsAreRefusedByCount() throws Exception {
        String rows = String.join(",", Collections.nCopies(340_000, "{}"));

        HttpResponse<String> response = post("/predict", "{\"rows\": [" + rows + "]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("'rows' holds 340000 rows; this server takes at most 1000");
        answersAfterwards();
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = post("/predict", new byte[(1 << 20) + 1]);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("over the 1048576-byte limit");
        answersAfterwards();
    }

    @Test
    void deepNestingIsRefusedWhileItIsRead() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);

        for (String body : List.of("{\"rows\": " + deep + "}", infer("[1, 3]", deep))) {
            HttpResponse<String> predict = post("/predict", body);
            HttpResponse<String> infer = post("/v2/models/hostile/infer", body);
            assertThat(List.of(predict.statusCode(), infer.statusCode())).containsOnly(400);
            assertThat(predict.body()).contains("malformed JSON").contains("nesting depth");
        }
        answersAfterwards();
    }

    @Test
    void malformedUtf8AndNonFiniteNumbersAre400() throws Exception {
        byte[] badUtf8 = "{\"rows\": [{\"x0\": \"\u0000\"}]}".getBytes(StandardCharsets.UTF_8);
        badUtf8[badUtf8.length - 5] = (byte) 0xC3; // a lead byte with no continuation
        List<HttpResponse<String>> responses = List.of(
                post("/predict", badUtf8),
                post("/predict", "{\"rows\": [{\"x0\": NaN, \"x1\": 1, \"x2\": 1}]}"),
                post("/predict", "{\"rows\": [{\"x0\": 1e400, \"x1\": 1, \"x2\": 1}]}"),
                post("/predict", "{\"rows\": [{\"x0\": \"Infinity\", \"x1\": 1, \"x2\": 1}]}"),
                post("/predict", "{\"rows\": [{\"x0\": -Infinity, \"x1\": 1, \"x2\": 1}]}"),
                post("/v2/models/hostile/infer", infer("[1, 3]", "[1e400, 1, 1]")),
                post("/v2/models/hostile/infer", infer("[1, 3]", "[NaN, 1, 1]")),
                post("/v2/models/hostile/infer", infer("[1, 3]", "[\"1\", 1, 1]")));

        assertThat(responses)
                .allSatisfy(response ->
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(400));
        answersAfterwards();
    }

    @Test
    void unknownPathsByTheThousandAre404() throws Exception {
        for (int i = 0; i < 2000; i++) {
            HttpResponse<String> response = post("/no/such/path/" + i, "{}");
            assertThat(response.statusCode()).isEqualTo(404);
        }
        answersAfterwards();

        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .as("one label for every unknown path")
                .contains("caravan_requests_total{endpoint=\"other\",status=\"404\"} 2000")
                .doesNotContain("/no/such/path")
                .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_", "process_cpu_usage");
    }

    @Test
    void aClientSendingAByteASecondGets408AndLosesItsConnection() throws Exception {
        String answer = SlowClient.dribble(
                "127.0.0.1", server.port(), "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n", 3);

        assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 2 s");
        answersAfterwards();
    }

    @Test
    @Order(Integer.MAX_VALUE) // after every attack
    void theHeapIsBackWithinItsBoundAfterwards() throws Exception {
        answersAfterwards();

        Heap.assertGrewLessThan(heapBefore, HEAP_BOUND_BYTES);
    }
}
