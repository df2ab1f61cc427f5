package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.server.CaravanServer;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.testing.TinyPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One run, one JSON object: {@code caravan run --json}, {@code runs show --json} and {@code GET /api/runs/{id}}
 * print the same object, and {@code runs list --json} and {@code runs search --json} print its summary (the same
 * fields with the same values, without the stages, dataset, model and the other parts of the detail).
 */
class RunJsonShapeTest extends CliTestBase {
    /** What a run's detail adds to its summary. */
    private static final List<String> DETAIL_ONLY =
            List.of("stages", "dataset", "model", "onnx", "blessing", "deployment", "candidates", "artifacts");

    @Test
    void everyCommandAndTheApiPrintTheSameRun() throws Exception {
        CliRunner.Result ran = cli.run(
                "run",
                "--pipeline",
                TinyPipeline.write(dir, "shape", "tags:", "  team: ml").toString(),
                "--json");
        assertThat(ran.exitCode()).as(ran.err()).isZero();
        JsonNode run = ran.json();
        String id = run.get("runId").asText();

        JsonNode shown = cli.run("runs", "show", id, "--json").json();
        JsonNode listed = cli.run("runs", "list", "--json").json().get("runs").get(0);
        JsonNode searched = cli.run("runs", "search", "--filter", "tags.team = 'ml'", "--json")
                .json()
                .get("runs")
                .get(0);

        assertThat(shown).isEqualTo(run);
        assertThat(apiRun(id)).isEqualTo(run);
        ObjectNode summary = run.deepCopy();
        summary.remove(DETAIL_ONLY);
        assertThat(listed).isEqualTo(summary);
        assertThat(searched).isEqualTo(summary);
        assertThat(fieldNames(run)).containsAll(fieldNames(listed)).containsAll(DETAIL_ONLY);
        assertThat(run.get("tags").get("team").asText()).isEqualTo("ml");
        assertThat(run.get("metrics").get("rmse").isNumber()).isTrue();
        assertThat(run.get("params").get("hidden").asText()).isEqualTo("8");
    }

    /** The run as {@code GET /api/runs/{id}} answers it, from a server on the test's database. */
    private JsonNode apiRun(String id) throws Exception {
        PipelineCatalog catalog = PipelineCatalog.load(List.of(TinyPipeline.write(dir, "served")), null);
        try (CaravanServer server = CaravanServer.start(
                catalog,
                db.database(),
                new CaravanServer.Settings(
                        "127.0.0.1",
                        0,
                        null,
                        dir.resolve("server-runs"),
                        Duration.ofSeconds(60),
                        Duration.ZERO,
                        Duration.ofSeconds(5)))) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.url() + "/runs/" + id))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return new ObjectMapper().readTree(response.body());
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
