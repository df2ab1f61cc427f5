package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.CaravanServer;
import dev.caravan.testing.Heap;
import dev.caravan.testing.SlowClient;
import dev.caravan.testing.TestDatabase;
import dev.caravan.testing.TestServers;
import dev.caravan.testing.TinyPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * Requests built to hurt {@code caravan server}'s REST API, one server taking them all in turn (as one would in
 * the field): sizes, nesting, bytes and numbers it must not trust, paths by the thousand, a client that never
 * finishes. Each gets its 4xx, none a 5xx; afterwards a valid request succeeds and the heap is back within a bound.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiHostileRequestTest {
    private static final String TOKEN = "hostile-token-5c1e9b2d";
    /** What the attacks may leave on the heap once collected: their bodies alone would be far more. */
    private static final long HEAP_BOUND_BYTES = 16L << 20;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestDatabase db;
    private static CaravanServer server;
    private static long heapBefore;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        server = TestServers.start(db, dir, TOKEN, Duration.ofSeconds(2), List.of(TinyPipeline.write(dir, "tiny")));
        answersAfterwards();
        heapBefore = Heap.retained();
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)));
    }

    private static HttpResponse<String> promote(byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.url() + "/models/tiny/aliases/champion"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static HttpResponse<String> promote(String body) throws Exception {
        return promote(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answersAfterwards() throws Exception {
        HttpResponse<String> runs = get("/runs");
        assertThat(runs.statusCode()).as(runs.body()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = promote(new byte[(int) ApiServer.MAX_BODY_BYTES + 1]);

        assertThat(response.statusCode()).isEqualTo(413);
        answersAfterwards();
    }

    @Test
    void deepNestingMalformedUtf8AndNonFiniteNumbersAre400() throws Exception {
        byte[] badUtf8 = "{\"version\": 1, \"reason\": \"xx\"}".getBytes(StandardCharsets.UTF_8);
        badUtf8[badUtf8.length - 3] = (byte) 0xC3; // a lead byte with no continuation
        List<HttpResponse<String>> responses = List.of(
                promote("{\"version\": " + "[".repeat(5000) + "]".repeat(5000) + "}"),
                promote(badUtf8),
                promote("{\"version\": NaN}"),
                promote("{\"version\": Infinity}"),
                promote("{\"version\": 1e400}"),
                promote("{\"version\": 99999999999999999999}"),
                promote("{\"version\": \"1\"}"),
                promote("[1]"));

        assertThat(responses)
                .allSatisfy(response ->
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(400));
        answersAfterwards();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/runs?limit=99999999999",
                "/runs?limit=-5",
                "/runs?offset=-1",
                "/runs?limit=1e3",
                "/runs?limit=NaN",
                "/runs?filter=status%20%3D",
                "/runs/not-an-id",
                "/runs/..%2F..%2Fetc%2Fpasswd",
                "/runs/%00",
                "/models/tiny/versions/NaN",
                "/models/tiny/versions/99999999999999999999",
                "/models/%FF/versions",
                "/models/tiny/best?metric=rmse&direction=sideways"
            })
    void parametersItMustNotTrustAre4xx(String path) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(400, 499);
        answersAfterwards();
    }

    @Test
    void aFilterNestedThousandsDeepIsRefusedWithoutExhaustingTheStack() throws Exception {
        String deep = "(".repeat(20_000) + "status = 'FAILED'" + ")".repeat(20_000);

        HttpResponse<String> response = get("/runs?filter="
                + deep.replace("(", "%28")
                        .replace(")", "%29")
                        .replace(" ", "%20")
                        .replace("'", "%27"));

        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        answersAfterwards();
    }

    @Test
    void oversizedHeadersAndUrlsAreRefused() throws Exception {
        HttpResponse<String> header = send(
                HttpRequest.newBuilder(URI.create(server.url() + "/runs")).header("X-Padding", "x".repeat(20_000)));
        HttpResponse<String> url = get("/runs?filter=" + "a".repeat(20_000));

        assertThat(List.of(header.statusCode(), url.statusCode()))
                .allSatisfy(status -> assertThat(status).isBetween(400, 499));
        answersAfterwards();
    }

    @Test
    void unknownPathsByTheThousandAre404() throws Exception {
        for (int i = 0; i < 2000; i++) {
            HttpResponse<String> response = get("/no/such/path/" + i);
            assertThat(response.statusCode()).isEqualTo(404);
        }
        answersAfterwards();
    }

    @Test
    void aClientSendingAByteASecondGets408AndLosesItsConnection() throws Exception {
        URI api = URI.create(server.url());

        String answer = SlowClient.dribble(
                api.getHost(),
                api.getPort(),
                "POST /api/models/tiny/aliases/champion HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nContent-Length: 100\r\n\r\n",
                4);

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
