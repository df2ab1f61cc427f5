package dev.caravan.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one model name over HTTP: {@code POST /predict} (raw rows), the KServe v2 endpoints, and
 * {@code GET /metrics}. Ready once a model is loaded; {@link #swap} replaces the model atomically, and the old
 * one is closed only after requests that already hold it have had time to finish.
 */
public final class ModelServer implements AutoCloseable {
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETIRE_AFTER_SECONDS = 30;

    private final String modelName;
    private final int maxBodyBytes;
    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService retirement = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final ServerMetrics metrics = new ServerMetrics();

    private ModelServer(String modelName, int maxBodyBytes, HttpServer http, ExecutorService workers) {
        this.modelName = modelName;
        this.maxBodyBytes = maxBodyBytes;
        this.http = http;
        this.workers = workers;
    }

    /** Starts listening on {@code port} (0 picks a free one); not ready until the first {@link #swap}. */
    public static ModelServer start(String modelName, int port, int maxBodyBytes, int threads) {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: 40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(port), 1024);
            ExecutorService workers = Executors.newFixedThreadPool(threads);
            ModelServer server = new ModelServer(modelName, maxBodyBytes, http, workers);
            http.createContext("/", server::handle);
            http.setExecutor(workers);
            http.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The served model, or null before the first load. */
    public ServedModel model() {
        return current.get();
    }

    /** Serves {@code next} from now on; the previous model is closed later, once in-flight requests are done. */
    public void swap(ServedModel next) {
        ServedModel previous = current.getAndSet(next);
        LOG.info("serving {} version {} ({})", next.name(), next.version(), next.precision());
        if (previous != null) {
            retirement.schedule(previous::close, RETIRE_AFTER_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        String endpoint = endpoint(path);
        int status;
        try {
            status = route(exchange, path);
        } catch (BadRequestException e) {
            status = respond(exchange, 400, error(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("request to {} failed", path, e);
            status = respond(exchange, 500, error("internal error: " + e.getMessage()));
        }
        metrics.request(endpoint, status, (System.nanoTime() - started) / 1e9);
    }

    private static String endpoint(String path) {
        if (path.startsWith("/v2/models/")) {
            return path.endsWith("/infer") ? "/v2/models/infer" : "/v2/models";
        }
        return path;
    }

    private int route(HttpExchange exchange, String path) {
        String method = exchange.getRequestMethod();
        return switch (path) {
            case "/predict" -> requirePost(exchange, method) ? predict(exchange) : 405;
            case "/metrics" -> respondText(exchange, metrics.render(current.get()));
            case "/v2/health/live" -> respond(exchange, 200, JSON.createObjectNode().put("live", true));
            case "/v2/health/ready" -> respond(exchange, current.get() == null ? 503 : 200,
                    JSON.createObjectNode().put("ready", current.get() != null));
            default -> kserveModel(exchange, path, method);
        };
    }

    private int kserveModel(HttpExchange exchange, String path, String method) {
        String prefix = "/v2/models/" + modelName;
        if (path.equals(prefix) && method.equals("GET")) {
            return withModel(exchange, model -> respond(exchange, 200, KServe.metadata(model)));
        }
        if (path.equals(prefix + "/infer")) {
            return requirePost(exchange, method) ? withModel(exchange, model -> {
                JsonNode request = body(exchange);
                return respond(exchange, 200, KServe.infer(model, request));
            }) : 405;
        }
        return respond(exchange, 404, error("no such endpoint: " + path + " (this server serves model '"
                + modelName + "')"));
    }

    private boolean requirePost(HttpExchange exchange, String method) {
        if (method.equals("POST")) {
            return true;
        }
        respond(exchange, 405, error(exchange.getRequestURI().getPath() + " takes POST, not " + method));
        return false;
    }

    private int predict(HttpExchange exchange) {
        return withModel(exchange, model -> {
            JsonNode body = body(exchange);
            float[] features = RowParser.parse(body, model.transform());
            int rows = body.get("rows").size();
            metrics.rows(rows);
            float[] outputs = model.predict(features, rows);
            return respond(exchange, 200, Predictions.json(model, outputs, rows));
        });
    }

    private interface ModelWork {
        int run(ServedModel model);
    }

    private int withModel(HttpExchange exchange, ModelWork work) {
        ServedModel model = current.get();
        if (model == null) {
            return respond(exchange, 503, error("no model is loaded yet; see /v2/health/ready"));
        }
        return work.run(model);
    }

    /** The request body as JSON; too large or malformed bodies are bad requests. */
    private JsonNode body(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw new BadRequestException("the body is over the " + maxBodyBytes + "-byte limit");
            }
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("cannot read the body: " + e.getMessage());
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static int respond(HttpExchange exchange, int status, JsonNode body) {
        try {
            return send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response", e);
        }
    }

    private static int respondText(HttpExchange exchange, String text) {
        return send(exchange, 200, "text/plain; version=0.0.4", text.getBytes(StandardCharsets.UTF_8));
    }

    private static int send(HttpExchange exchange, int status, String type, byte[] body) {
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length);
            out.write(body);
        } catch (IOException e) {
            LOG.debug("client went away", e); // nothing to tell a client that has left
        }
        return status;
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
        retirement.shutdownNow();
        ServedModel model = current.getAndSet(null);
        if (model != null) {
            model.close();
        }
    }

    /** Builds {@code /predict} answers. */
    static final class Predictions {
        private Predictions() {
        }

        static ObjectNode json(ServedModel model, float[] outputs, int rows) {
            ObjectNode answer = JSON.createObjectNode();
            answer.putObject("model").put("name", model.name()).put("version", model.version());
            ArrayNode predictions = answer.putArray("predictions");
            int width = model.outputs();
            for (int r = 0; r < rows; r++) {
                if (model.labels().isEmpty()) {
                    predictions.add(outputs[r]);
                    continue;
                }
                ObjectNode prediction = predictions.addObject();
                ObjectNode probabilities = JSON.createObjectNode();
                int best = 0;
                for (int k = 0; k < width; k++) {
                    probabilities.put(model.labels().get(k), outputs[r * width + k]);
                    best = outputs[r * width + k] > outputs[r * width + best] ? k : best;
                }
                prediction.put("label", model.labels().get(best));
                prediction.set("probabilities", probabilities);
            }
            return answer;
        }
    }
}
