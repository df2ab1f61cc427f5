package dev.caravan.api;

import dev.caravan.data.CaravanException;
import dev.caravan.pipeline.CamelHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * The REST API: the routes of {@code routes/api.yaml} (rest DSL over platform-http on Vert.x) in the server's one
 * Camel context. Routes call the endpoint beans bound here by name; the {@code routeConfiguration} there checks
 * the bearer token on writes, maps exceptions to status codes and writes every reply as JSON.
 */
public final class ApiServer {
    /** The environment variable that holds the bearer token writes need. */
    public static final String TOKEN_VARIABLE = "CARAVAN_API_TOKEN";

    private final CamelHost camel;
    private final String host;

    /**
     * Sets the API up on {@code camel} (whose routes must include {@link CamelHost#API_ROUTES}) to listen on
     * {@code host:port} (port 0: any free port) once the host starts.
     *
     * @param apiToken the bearer token writes need; null or blank refuses every write
     */
    public ApiServer(CamelHost camel, String host, int port, String apiToken, RegistryApi registry, ServerApi server) {
        checkFree(host, port);
        this.camel = camel;
        this.host = host;
        camel.serveHttp(host, port);
        camel.bind("registry", registry);
        camel.bind("server", server);
        camel.bind("bearerAuth", new BearerAuth(apiToken));
        camel.bind("apiErrors", new ApiErrors());
        camel.bind("jsonReply", new JsonReply());
    }

    /** Vert.x reports a failed listen in a log line only, so the address is tried first. */
    private static void checkFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Vert.x does
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw CaravanException.badSetting("the REST API cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); choose another --port or --bind");
        }
    }

    /** Where the API answers once the host has started, e.g. {@code http://127.0.0.1:8090/api}. */
    public String url() {
        int port = camel.context().hasService(VertxPlatformHttpServer.class).getPort();
        return "http://" + host + ":" + port + "/api";
    }
}
