package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.Json;
import dev.caravan.server.CaravanServer;
import dev.caravan.testing.TestDatabase;
import dev.caravan.testing.TestServers;
import dev.caravan.testing.TinyPipeline;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document at /api/openapi.json, generated from the rest DSL, against the live endpoints. */
class OpenApiTest {
    /** A value for each path parameter: none names a real thing, so each endpoint answers its own 404 or 400. */
    private static final Map<String, String> PARAMETERS =
            Map.of("id", UUID.randomUUID().toString(), "name", "nosuch", "version", "1", "alias", "champion");

    private static final Pattern PARAMETER = Pattern.compile("\\{(\\w+)}");

    @TempDir
    Path dir;

    private TestDatabase db;
    private CaravanServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        db = TestDatabase.create();
        server = TestServers.start(
                db,
                dir,
                "openapi-token-3b7e1f0c",
                ApiServer.DEFAULT_REQUEST_TIMEOUT,
                List.of(TinyPipeline.write(dir, "tiny")));
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI base = URI.create(server.url());
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void documentsEveryEndpointOfTheRestDslAndEachAnswersFromItsRoute() throws Exception {
        HttpResponse<String> document = send("GET", "/api/openapi.json");
        assertThat(document.statusCode()).as(document.body()).isEqualTo(200);
        JsonNode openApi = Json.read(document.body());
        assertThat(openApi.path("openapi").asText()).startsWith("3.");
        assertThat(openApi.path("info").path("title").asText()).isEqualTo("Caravan REST API");

        List<String> endpoints = new ArrayList<>();
        openApi.path("paths").properties().forEach(path -> path.getValue()
                .properties()
                .forEach(
                        operation -> endpoints.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));

        assertThat(endpoints).hasSize(restEndpointsInTheRouteFile());
        for (String endpoint : endpoints) {
            String[] methodAndPath = endpoint.split(" ");
            String path = PARAMETER.matcher(methodAndPath[1]).replaceAll(found -> PARAMETERS.get(found.group(1)));
            HttpResponse<String> live = send(methodAndPath[0], path);
            assertThat(live.headers().firstValue("Content-Type"))
                    .as(
                            "%s answers from its route, not the router's 404 (%d %s)",
                            endpoint, live.statusCode(), live.body())
                    .hasValue("application/json");
            assertThat(live.statusCode()).as(endpoint).isNotEqualTo(500);
        }
    }

    /** The endpoints routes/api.yaml declares: one {@code to: direct:} each in its rest block. */
    private static int restEndpointsInTheRouteFile() throws Exception {
        try (InputStream routes = OpenApiTest.class.getResourceAsStream("/routes/api.yaml")) {
            String text = new String(routes.readAllBytes(), StandardCharsets.UTF_8);
            return (int) text.lines()
                    .filter(line -> line.trim().startsWith("to: direct:"))
                    .count();
        }
    }
}
