package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.pipeline.Json;
import dev.caravan.pipeline.RunReport;
import dev.caravan.registry.ModelRegistry;
import dev.caravan.registry.RunSearch;
import dev.caravan.registry.RunStore;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The registry's read (and, with a token, write) endpoints: the REST twins of {@code caravan runs} and
 * {@code caravan models}, answering the same JSON as their {@code --json}. Each public method is one endpoint of
 * routes/api.yaml: it takes the path and query parameters as strings and returns the JSON body. Unknown things
 * are {@link ApiException#notFound}, bad parameters {@link IllegalArgumentException} (400).
 */
public final class RegistryApi {
    private final RunStore store;
    private final RunSearch search;
    private final ModelRegistry models;

    public RegistryApi(DataSource dataSource) {
        this.store = new RunStore(dataSource);
        this.search = new RunSearch(dataSource);
        this.models = new ModelRegistry(dataSource);
    }

    /** {@code GET /api/runs/{id}}: the run report, as {@code caravan runs show --json} prints it. */
    public ObjectNode run(String id) {
        return store.findRun(id).map(RunReport::of)
                .orElseThrow(() -> ApiException.notFound("no run with id " + id));
    }

    /**
     * {@code GET /api/runs?filter=&order_by=&limit=}, or with {@code group_by=&agg=} the aggregates: as
     * {@code caravan runs search}. Several order keys, group fields or aggregates are comma-separated.
     */
    public ObjectNode runs(String filter, String orderBy, String limit, String groupBy, String aggregates) {
        if (groupBy != null || aggregates != null) {
            return search.aggregate(filter, list(groupBy), list(aggregates));
        }
        return search.search(filter, list(orderBy), number("limit", limit, RunSearch.DEFAULT_LIMIT));
    }

    /** {@code GET /api/models}. */
    public ObjectNode models() {
        return models.list();
    }

    /** {@code GET /api/models/{name}/versions?limit=}: newest first. */
    public ObjectNode versions(String name, String limit) {
        return models.versions(name, number("limit", limit, 20));
    }

    /** {@code GET /api/models/{name}/best?metric=&direction=}: the version whose run has the best metric. */
    public ObjectNode bestVersion(String name, String metric, String direction) {
        if (metric == null) {
            throw new IllegalArgumentException("give the metric, e.g. ?metric=rmse&direction=lower");
        }
        return search.bestVersion(name, metric, direction == null ? "lower" : direction)
                .orElseThrow(() -> ApiException.notFound("model " + name + " has no version with metric " + metric));
    }

    /** {@code GET /api/models/{name}/versions/{version}} and {@code .../aliases/{alias}}: as models show. */
    public ObjectNode show(String reference) {
        return models.show(reference);
    }

    /** {@code GET /api/models/{name}/versions/{version}/lineage}. */
    public ObjectNode lineage(String reference) {
        return models.lineage(reference);
    }

    /** {@code GET /api/models/{name}/aliases/{alias}/history}. */
    public ObjectNode aliasHistory(String name, String alias) {
        return models.aliasHistory(name, alias);
    }

    /**
     * {@code POST /api/models/{name}/aliases/{alias}} with {@code {"version": 3, "reason": "...", "by": "...",
     * "force": false}}: moves the alias, as {@code caravan models promote}; the bearer token was checked before.
     */
    public ObjectNode promote(String name, String alias, String body) {
        JsonNode request = parse(body);
        JsonNode version = request.path("version");
        if (!version.canConvertToInt() || !version.isIntegralNumber()) {
            throw new IllegalArgumentException("the body needs \"version\": a version number of " + name);
        }
        String by = request.path("by").asText("");
        return models.promote(name + ":" + version.asInt(), alias, request.path("force").asBoolean(false),
                by.isBlank() ? "api" : "api: " + by, request.path("reason").asText("promoted through the API"));
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode request = Json.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
            if (!request.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return request;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(part -> !part.isEmpty()).toList();
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
