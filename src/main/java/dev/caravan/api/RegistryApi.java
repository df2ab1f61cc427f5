package dev.caravan.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.pipeline.RunReport;
import dev.caravan.registry.ModelQueries;
import dev.caravan.registry.Registry;
import dev.caravan.registry.RunQueries;
import dev.caravan.registry.entity.AliasHistory;
import dev.caravan.registry.entity.AliasMove;
import dev.caravan.registry.entity.BestVersion;
import dev.caravan.registry.entity.Lineage;
import dev.caravan.registry.entity.Models;
import dev.caravan.registry.entity.VersionDetail;
import dev.caravan.registry.entity.VersionPage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * The registry's read (and, with a token, write) endpoints: the REST twins of {@code caravan runs} and
 * {@code caravan models}, answering the same records, which {@code JsonReply} writes as the same JSON as their
 * {@code --json}. Each public method is one endpoint of routes/api.yaml: it takes the path and query parameters as
 * strings and returns the answer. Unknown things are NOT_FOUND (404), bad parameters
 * {@link IllegalArgumentException}s (400).
 */
public final class RegistryApi {
    private static final Pattern FULL_ID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Run searches and aggregates that may run at once; more get 503 rather than queue on the database. */
    static final int CONCURRENT_SEARCHES = 2;

    private final Registry registry;
    private final Semaphore searches = new Semaphore(CONCURRENT_SEARCHES);

    public RegistryApi(Registry registry) {
        this.registry = registry;
    }

    /** {@code GET /api/runs/{id}}: the run, as {@code caravan runs show --json} prints it; a full id only. */
    public RunReport run(String id) {
        if (id == null || !FULL_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "'" + id + "' is not a run id: give all 36 characters (prefixes are" + " for the CLI)");
        }
        return registry.runQueries()
                .detail(UUID.fromString(id))
                .map(RunReport::of)
                .orElseThrow(() -> CaravanException.notFound("no run with id " + id));
    }

    /**
     * {@code GET /api/runs?filter=&order_by=&limit=&offset=}, or with {@code group_by=&agg=} the aggregates: as
     * {@code caravan runs search}. Several order keys, group fields or aggregates are comma-separated.
     */
    public Object runs(String filter, String orderBy, String limit, String offset, String groupBy, String aggregates) {
        if (!searches.tryAcquire()) {
            throw CaravanException.unavailable(
                    CONCURRENT_SEARCHES + " run searches are running already; try again shortly", null);
        }
        try {
            if (groupBy != null || aggregates != null) {
                return registry.runQueries().aggregate(filter, list(groupBy), list(aggregates));
            }
            return registry.runQueries()
                    .search(
                            filter,
                            list(orderBy),
                            number("limit", limit, RunQueries.DEFAULT_LIMIT),
                            number("offset", offset, 0));
        } finally {
            searches.release();
        }
    }

    /** {@code GET /api/models}. */
    public Models models() {
        return registry.models().list();
    }

    /** {@code GET /api/models/{name}/versions?limit=&offset=}: newest first. */
    public VersionPage versions(String name, String limit, String offset) {
        return registry.models()
                .versions(name, number("limit", limit, ModelQueries.DEFAULT_LIMIT), number("offset", offset, 0));
    }

    /** {@code GET /api/models/{name}/best?metric=&direction=}: the version whose run has the best metric. */
    public BestVersion bestVersion(String name, String metric, String direction) {
        if (metric == null) {
            throw new IllegalArgumentException("give the metric, e.g. ?metric=rmse&direction=lower");
        }
        return registry.models()
                .bestVersion(name, metric, direction == null ? "lower" : direction)
                .orElseThrow(
                        () -> CaravanException.notFound("model " + name + " has no version with metric " + metric));
    }

    /** {@code GET /api/models/{name}/versions/{version}} and {@code .../aliases/{alias}}: as models show. */
    public VersionDetail show(String reference) {
        return registry.models().show(reference);
    }

    /** {@code GET /api/models/{name}/versions/{version}/lineage}. */
    public Lineage lineage(String reference) {
        return registry.models().lineage(reference);
    }

    /** {@code GET /api/models/{name}/aliases/{alias}/history}. */
    public AliasHistory aliasHistory(String name, String alias) {
        return registry.models().aliasHistory(name, alias);
    }

    /**
     * {@code POST /api/models/{name}/aliases/{alias}} with {@code {"version": 3, "reason": "...", "by": "...",
     * "force": false}}: moves the alias, as {@code caravan models promote}; the bearer token was checked before.
     */
    public AliasMove promote(String name, String alias, byte[] body) {
        JsonNode request = parse(body);
        JsonNode version = request.path("version");
        if (!version.canConvertToInt() || !version.isIntegralNumber()) {
            throw new IllegalArgumentException("the body needs \"version\": a version number of " + name);
        }
        String by = request.path("by").asText("");
        return registry.versions()
                .promote(
                        name + ":" + version.asInt(),
                        alias,
                        request.path("force").asBoolean(false),
                        by.isBlank() ? "api" : "api: " + by,
                        request.path("reason").asText("promoted through the API"));
    }

    /** The body as bytes, so that malformed UTF-8 is refused rather than read as replacement characters. */
    private static JsonNode parse(byte[] body) {
        try {
            JsonNode request =
                    body == null || body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
            if (!request.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) { // bytes in memory: only a malformed encoding gets here
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null
                ? List.of()
                : Arrays.stream(commaSeparated.split(","))
                        .map(String::trim)
                        .filter(part -> !part.isEmpty())
                        .toList();
    }

    private static int number(String parameter, String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(parameter + " must be a whole number, got '" + text + "'", e);
        }
    }
}
