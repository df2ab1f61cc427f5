package dev.caravan.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.pipeline.RunReport;
import dev.caravan.registry.RunStore;

/**
 * The registry's read (and, with a token, write) endpoints. Each public method is one endpoint of
 * routes/api.yaml: it takes the path and query parameters as strings and returns the JSON body. Unknown things
 * are {@link ApiException#notFound}, bad parameters {@link IllegalArgumentException} (400).
 */
public final class RegistryApi {
    private final RunStore store;

    public RegistryApi(RunStore store) {
        this.store = store;
    }

    /** {@code GET /api/runs/{id}}: the run report, as {@code caravan runs show --json} prints it. */
    public ObjectNode run(String id) {
        return store.findRun(id).map(RunReport::of)
                .orElseThrow(() -> ApiException.notFound("no run with id " + id));
    }
}
