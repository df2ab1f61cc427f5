package dev.caravan.api;

import dev.caravan.pipeline.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.Main;

/**
 * The REST API: Camel Main on {@code routes/api.yaml} (rest DSL over platform-http on Vert.x). Routes call the
 * endpoint beans bound here by name; the {@code routeConfiguration} there checks the bearer token on writes,
 * maps exceptions to status codes and writes every reply as JSON.
 */
public final class ApiServer implements AutoCloseable {
    /** The environment variable that holds the bearer token writes need. */
    public static final String TOKEN_VARIABLE = "CARAVAN_API_TOKEN";
    private static final String ROUTES = "classpath:routes/api.yaml";

    private final Main camel;
    private final String host;
    private final int port;

    /**
     * Starts listening on {@code host:port} (port 0: any free port).
     *
     * @param apiToken the bearer token writes need; null or blank refuses every write
     */
    public ApiServer(String host, int port, String apiToken, RegistryApi registry, ServerApi server) {
        checkFree(host, port);
        this.host = host;
        this.camel = new Main();
        camel.configure().withRoutesIncludePattern(ROUTES);
        camel.configure().httpServer().withEnabled(true).withHost(host).withPort(port);
        camel.bind("registry", registry);
        camel.bind("server", server);
        camel.bind("bearerAuth", new BearerAuth(apiToken));
        camel.bind("apiErrors", new ApiErrors());
        camel.bind("jsonReply", new JsonReply());
        try {
            camel.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the REST API (" + ROUTES + "): " + e.getMessage(), e);
        }
        this.port = camel.getCamelContext().hasService(VertxPlatformHttpServer.class).getPort();
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
            throw new ConfigException("the REST API cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another --port or --bind");
        }
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:8090/api}. */
    public String url() {
        return "http://" + host + ":" + port + "/api";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
