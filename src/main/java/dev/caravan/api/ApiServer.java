package dev.caravan.api;

import dev.caravan.data.CaravanException;
import dev.caravan.pipeline.CamelHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * The REST API: the routes of {@code routes/api.yaml} (rest DSL over platform-http on Vert.x) in the server's one
 * Camel context. Routes call the endpoint beans bound here by name; the {@code routeConfiguration} there checks
 * the bearer token on writes, maps exceptions to status codes and writes every reply as JSON.
 */
public final class ApiServer {
    /** The environment variable that holds the bearer token writes need. */
    public static final String TOKEN_VARIABLE = "CARAVAN_API_TOKEN";

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The API's bodies are a few fields (a promotion); 64 KiB is ample, and more is refused with 413. */
    public static final long MAX_BODY_BYTES = 64 * 1024;

    private final CamelHost camel;
    private final String host;

    /**
     * Sets the API up on {@code camel} (whose routes must include {@link CamelHost#API_ROUTES}) to listen on
     * {@code host:port} (port 0: any free port) once the host starts.
     *
     * @param requestTimeout a request whose body has not arrived by then gets 408
     * @param apiToken the bearer token writes need; null or blank refuses every write
     */
    public ApiServer(
            CamelHost camel,
            String host,
            int port,
            Duration requestTimeout,
            String apiToken,
            RegistryApi registry,
            ServerApi server) {
        checkFree(host, port);
        this.camel = camel;
        this.host = host;
        camel.serveHttp(host, port, MAX_BODY_BYTES);
        camel.afterStart(context -> {
            // bound under a name with the port in it; the main server's is the API's
            VertxPlatformHttpRouter router = context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                    .filter(VertxPlatformHttpRouter::isMainServer)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("platform-http has started no Vert.x router"));
            RequestDeadline.install(router, router.vertx(), requestTimeout);
        });
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
