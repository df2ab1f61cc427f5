package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.data.Json;
import dev.caravan.registry.ModelQueries;
import dev.caravan.registry.PipelineLock;
import dev.caravan.registry.RunQueries;
import dev.caravan.server.CaravanServer;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.testing.Await;
import dev.caravan.testing.ModelRuns;
import dev.caravan.testing.SeededRuns;
import dev.caravan.testing.TestDatabase;
import dev.caravan.testing.TinyPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API of caravan server over real HTTP, on a real database: reads are open, writes need the token. */
class ApiTest {
    private static final String TOKEN = "test-token-4f9c2a7e";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase db;
    private CaravanServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    record Reply(int status, JsonNode json, HttpHeaders headers) {}

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        db.close();
    }

    private void start(String token) {
        PipelineCatalog catalog = PipelineCatalog.load(
                List.of(
                        TinyPipeline.write(dir, "tiny"),
                        TinyPipeline.write(dir, "nightly", "schedule: \"0 0 3 * * ?\"")),
                null);
        server = CaravanServer.start(
                catalog,
                db.database(),
                new CaravanServer.Settings(
                        "127.0.0.1",
                        0,
                        token,
                        dir.resolve("runs"),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(5)));
    }

    private Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET());
    }

    private Reply post(String path, String authorization) {
        return post(path, authorization, "");
    }

    private Reply post(String path, String authorization, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(response.body())
                    .hasValue("application/json");
            return new Reply(response.statusCode(), JSON.readTree(response.body()), response.headers());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private long runs() {
        return db.count("select count(*) from pipeline_runs");
    }

    @Test
    void readsNeedNoToken() {
        start(TOKEN);

        Reply health = get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().get("server").asText()).isEqualTo(server.identity());

        JsonNode pipelines = get("/pipelines").json().get("pipelines");
        assertThat(pipelines).extracting(p -> p.get("name").asText()).containsExactly("nightly", "tiny");
        assertThat(pipelines.get(0).get("schedule").asText()).isEqualTo("0 0 3 * * ?");
        Instant next = Instant.parse(pipelines.get(0).get("nextFireAt").asText());
        assertThat(next).isAfter(Instant.now());
        assertThat(next.atZone(ZoneId.systemDefault()).toLocalTime())
                .as("03:00 in the server's zone")
                .isEqualTo(LocalTime.of(3, 0));
        assertThat(pipelines.get(1).get("schedule").isNull()).isTrue();
        assertThat(pipelines.get(1).get("nextFireAt").isNull()).isTrue();
        assertThat(pipelines.get(1).get("lastScheduleEvents")).isEmpty();

        Reply unknown = get("/runs/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).startsWith("no run with id ");
        Reply malformed = get("/runs/not-a-run");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).contains("is not a run id");
        Reply prefix = get("/runs/" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(prefix.status()).as("prefixes are for the CLI").isEqualTo(400);
        assertThat(prefix.json().get("error").asText()).contains("give all 36 characters");
    }

    @Test
    void writesWithoutTheRightTokenAre401AndStartNothing() {
        start(TOKEN);

        Reply missing = post("/pipelines/tiny/runs", null);
        Reply wrong = post("/pipelines/tiny/runs", "Bearer not-" + TOKEN);
        Reply notBearer = post("/pipelines/tiny/runs", "Basic " + TOKEN);

        for (Reply reply : List.of(missing, wrong, notBearer)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
        }
        assertThat(missing.json().get("error").asText()).contains("Authorization: Bearer");
        assertThat(wrong.json().get("error").asText()).contains("not this server's CARAVAN_API_TOKEN");
        assertThat(runs()).isZero();
    }

    @Test
    void readsHoldingEveryApiConnectionCannotStarveARunningPipeline() throws Exception {
        start(TOKEN);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) { // the API's pool, taken as slow reads would take it
                held.add(db.database().apiDataSource().getConnection());
            }
            Reply started = post("/pipelines/tiny/runs", "Bearer " + TOKEN);
            Reply starved = get("/runs");

            assertThat(started.status()).as(started.json().toString()).isEqualTo(202);
            assertThat(starved.status()).isEqualTo(503);
            assertThat(starved.json().get("error").asText()).contains("no free connection");
            String runId = started.json().get("runId").asText();
            Await.until("the run to end", Duration.ofMinutes(3), () -> !db.text(
                            "select status from pipeline_runs where id = '" + runId + "'")
                    .equals("RUNNING"));
            assertThat(db.text("select status from pipeline_runs where id = '" + runId + "'"))
                    .isEqualTo("SUCCEEDED");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        assertThat(get("/runs").status())
                .as("the API answers once its connections are free")
                .isEqualTo(200);
    }

    @Test
    void aTokenInTheUrlIsRefusedEvenWhenItIsRight() {
        start(TOKEN);

        Reply inQuery = post("/pipelines/tiny/runs?Authorization=" + query("Bearer " + TOKEN), null);

        assertThat(inQuery.status()).isEqualTo(401);
        assertThat(inQuery.json().get("error").asText())
                .isEqualTo("send the token in the Authorization header, never in the URL");
        assertThat(runs()).isZero();
    }

    @Test
    void aFaultAnswers500WithAnErrorIdAndNoneOfTheDatabasesWords() throws Exception {
        start(TOKEN);
        try (Connection connection = db.database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("drop table pipeline_runs cascade");
        }

        Reply reply = get("/runs");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().get("error").asText())
                .matches("internal error [0-9a-f-]{36}: the server's log has the details");
    }

    @Test
    void aServerWithoutATokenRefusesWritesAndSaysHowToAllowThem() {
        start(null);

        Reply reply = post("/pipelines/tiny/runs", "Bearer anything");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("error").asText()).contains("start it with CARAVAN_API_TOKEN set");
        assertThat(get("/health").status()).isEqualTo(200);
        assertThat(runs()).isZero();
    }

    @Test
    void theRightTokenStartsARunAndAnswers202WithItsIdAtOnce() {
        start(TOKEN);

        Reply started = post("/pipelines/tiny/runs", "Bearer " + TOKEN);

        assertThat(started.status()).as(started.json().toString()).isEqualTo(202);
        assertThat(started.headers().firstValue("Authorization"))
                .as("the token is never echoed")
                .isEmpty();
        String runId = started.json().get("runId").asText();
        assertThat(started.json().get("run").asText()).isEqualTo("/api/runs/" + runId);
        Reply recorded = get("/runs/" + runId);
        assertThat(recorded.status()).as("the run exists when 202 comes back").isEqualTo(200);
        assertThat(recorded.json().get("trigger").asText()).isEqualTo("api");
        Await.until(
                "the run to end",
                Duration.ofMinutes(3),
                () -> !get("/runs/" + runId).json().get("status").asText().equals("RUNNING"));
        JsonNode finished = get("/runs/" + runId).json();
        assertThat(finished.get("status").asText()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(finished.get("pipeline").asText()).isEqualTo("tiny");
    }

    /** A run that failed (its data file gone) resumes through the API, keeps its id, and registers one version. */
    @Test
    void aFailedRunResumesThroughTheApi() throws Exception {
        start(TOKEN);
        Files.delete(dir.resolve("tiny.csv"));
        String runId = post("/pipelines/tiny/runs", "Bearer " + TOKEN)
                .json()
                .get("runId")
                .asText();
        Await.until(
                "the run to fail",
                Duration.ofMinutes(1),
                () -> get("/runs/" + runId).json().get("status").asText().equals("FAILED"));
        assertThat(get("/runs/" + runId).json().get("failedStage").asText()).isEqualTo("ingest");
        TinyPipeline.write(dir, "tiny"); // the data is back

        assertThat(post("/runs/" + runId + "/resume", null).status()).isEqualTo(401);
        Reply resumed = post("/runs/" + runId + "/resume", "Bearer " + TOKEN);
        assertThat(resumed.status()).as(resumed.json().toString()).isEqualTo(202);
        assertThat(resumed.json().get("pipeline").asText()).isEqualTo("tiny");
        Await.until(
                "the resumed run to end",
                Duration.ofMinutes(3),
                () -> !get("/runs/" + runId).json().get("status").asText().equals("RUNNING"));
        JsonNode finished = get("/runs/" + runId).json();
        assertThat(finished.get("status").asText()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(db.count("select count(*) from model_versions where run_id = '" + runId + "'"))
                .isEqualTo(1);

        Reply again = post("/runs/" + runId + "/resume", "Bearer " + TOKEN);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("error").asText()).contains("is SUCCEEDED; only a FAILED run can be resumed");
        assertThat(post("/runs/" + UUID.randomUUID() + "/resume", "Bearer " + TOKEN)
                        .status())
                .isEqualTo(404);
        assertThat(post("/runs/not-a-run/resume", "Bearer " + TOKEN).status()).isEqualTo(400);
    }

    @Test
    void aBusyPipelineAnswers409AndAnUnknownOne404() {
        start(TOKEN);

        Reply busy;
        try (PipelineLock held = db.registry().runs().tryLock("tiny").orElseThrow()) {
            busy = post("/pipelines/tiny/runs", "Bearer " + TOKEN);
        }
        Reply unknown = post("/pipelines/nope/runs", "Bearer " + TOKEN);

        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().get("error").asText()).contains("pipeline 'tiny' is already running");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("no pipeline named 'nope'");
        assertThat(runs()).isZero();
    }

    /** The value as it reads back from HTTP (numbers take the narrowest node type). */
    private static JsonNode reparsed(JsonNode value) {
        try {
            return JSON.readTree(value.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void theRegistryQueriesAnswerAsTheirCliTwinsDo() {
        start(TOKEN);
        SeededRuns seeded = new SeededRuns(db);
        Instant now = Instant.now();
        seeded.run(
                "p",
                "SUCCEEDED",
                now.minusSeconds(30),
                Map.of("rmse", 0.5),
                Map.of("learningRate", "0.001"),
                Map.of("team", "ml"),
                "churn");
        seeded.run(
                "p",
                "SUCCEEDED",
                now.minusSeconds(20),
                Map.of("rmse", 0.3),
                Map.of("learningRate", "0.01"),
                Map.of(),
                "churn");
        seeded.run("p", "FAILED", now.minusSeconds(10), Map.of(), Map.of(), Map.of(), null);
        String filter = "metrics.rmse < 0.4 OR tags.team = 'ml'";

        Reply found = get("/runs?filter=" + query(filter) + "&order_by=" + query("metrics.rmse ASC"));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json())
                .isEqualTo(reparsed(Json.tree(db.registry()
                        .runQueries()
                        .search(filter, List.of("metrics.rmse ASC"), RunQueries.DEFAULT_LIMIT, 0))));
        assertThat(found.json().get("runs"))
                .extracting(r -> r.get("metrics").get("rmse").asDouble())
                .containsExactly(0.3, 0.5);
        JsonNode groups = get("/runs?group_by=params.learningRate&agg=" + query("count(*),min(metrics.rmse)"))
                .json();
        assertThat(groups.get("groups")).hasSize(3); // two learning rates and the failed run without one
        Reply bad = get("/runs?filter=" + query("metrics.rmse < 'x' OR 1=1; --"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("position");

        ModelQueries models = db.registry().models();
        assertThat(get("/models").json()).isEqualTo(reparsed(Json.tree(models.list())));
        assertThat(get("/models/churn/versions").json().get("versions")).hasSize(2);
        assertThat(get("/models/churn/best?metric=rmse&direction=lower")
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(2);
        assertThat(get("/models/churn/versions/1").json()).isEqualTo(reparsed(Json.tree(models.show("churn:1"))));
        assertThat(get("/models/churn/versions/1/lineage").json())
                .isEqualTo(reparsed(Json.tree(models.lineage("churn:1"))));
        assertThat(get("/models/churn/versions/9").status()).isEqualTo(404);
        assertThat(get("/models/nope/versions").status()).isEqualTo(404);
    }

    @Test
    void promotingNeedsTheTokenAndTheHistoryNamesWhoMovedTheAliasAndWhy() {
        start(TOKEN);
        ModelRuns runs = new ModelRuns(db.registry());
        runs.register("churn", 0.9, ModelRuns.blessed(0.9, null, null, "champion"), null);
        runs.register("churn", 0.8, ModelRuns.rejected(0.8, 1, 0.9), null);
        String drill = "{\"version\": 2, \"force\": true, \"reason\": \"rollback drill\", \"by\": \"alice\"}";

        assertThat(post("/models/churn/aliases/champion", null, drill).status()).isEqualTo(401);
        Reply refused = post("/models/churn/aliases/champion", "Bearer " + TOKEN, "{\"version\": 2}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).contains("not blessed", "force");
        assertThat(get("/models/churn/aliases/champion").json().get("version").asInt())
                .isEqualTo(1);

        Reply moved = post("/models/churn/aliases/champion", "Bearer " + TOKEN, drill);

        assertThat(moved.status()).as(moved.json().toString()).isEqualTo(200);
        assertThat(get("/models/churn/aliases/champion").json().get("version").asInt())
                .isEqualTo(2);
        JsonNode last = get("/models/churn/aliases/champion/history")
                .json()
                .get("moves")
                .get(0);
        assertThat(last.get("from").asInt()).isEqualTo(1);
        assertThat(last.get("to").asInt()).isEqualTo(2);
        assertThat(last.get("forced").asBoolean()).isTrue();
        assertThat(last.get("movedBy").asText()).isEqualTo("api: alice");
        assertThat(last.get("reason").asText()).isEqualTo("rollback drill");
    }
}
