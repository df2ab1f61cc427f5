package dev.caravan.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one model name over HTTP (Vert.x event loops): {@code POST /predict} (raw rows), the KServe v2
 * endpoints, and {@code GET /metrics}. Ready once a model is loaded; {@link #swap} replaces the model atomically,
 * and the old one is closed only after requests that already hold it have had time to finish.
 */
public final class ModelServer implements AutoCloseable {
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETIRE_AFTER_SECONDS = 30;

    private final String modelName;
    private final int maxBodyBytes;
    private final Vertx vertx;
    private final HttpServer http;
    private final ScheduledExecutorService retirement = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final ServerMetrics metrics = new ServerMetrics();

    private ModelServer(String modelName, int maxBodyBytes, Vertx vertx, HttpServer http) {
        this.modelName = modelName;
        this.maxBodyBytes = maxBodyBytes;
        this.vertx = vertx;
        this.http = http;
    }

    /**
     * Starts listening on {@code port} (0 picks a free one) with {@code threads} event loops; not ready until the
     * first {@link #swap}.
     */
    public static ModelServer start(String modelName, int port, int maxBodyBytes, int threads) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setWorkerPoolSize(1));
        HttpServer http = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setPort(port));
        ModelServer server = new ModelServer(modelName, maxBodyBytes, vertx, http);
        http.requestHandler(server::accept);
        try {
            http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return server;
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return http.actualPort();
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

    /** Reads the body up to the limit, then answers; a larger body is refused without reading it all. */
    private void accept(HttpServerRequest request) {
        long started = System.nanoTime();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBodyBytes) {
                tooLarge[0] = true;
            } else if (!tooLarge[0]) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ended -> {
            Response response = tooLarge[0]
                    ? Response.json(400, error("the body is over the " + maxBodyBytes + "-byte limit"))
                    : answer(request.method().name(), request.path(), body);
            request.response().setStatusCode(response.status()).putHeader("Content-Type", response.type())
                    .end(Buffer.buffer(response.body()));
            metrics.request(endpoint(request.path()), response.status(), (System.nanoTime() - started) / 1e9);
        });
    }

    /** One HTTP answer. */
    record Response(int status, String type, byte[] body) {
        static Response json(int status, JsonNode body) {
            try {
                return new Response(status, "application/json", JSON.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a response", e);
            }
        }
    }

    private Response answer(String method, String path, Buffer body) {
        try {
            return route(method, path, body);
        } catch (BadRequestException e) {
            return Response.json(400, error(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("request to {} failed", path, e);
            return Response.json(500, error("internal error: " + e.getMessage()));
        }
    }

    private static String endpoint(String path) {
        if (path.startsWith("/v2/models/")) {
            return path.endsWith("/infer") ? "/v2/models/infer" : "/v2/models";
        }
        return path;
    }

    private Response route(String method, String path, Buffer body) {
        String model = "/v2/models/" + modelName;
        return switch (path) {
            case "/predict" -> post(method, path, () -> withModel(served -> predict(served, parse(body))));
            case "/metrics" -> new Response(200, "text/plain; version=0.0.4",
                    metrics.render(current.get()).getBytes(StandardCharsets.UTF_8));
            case "/v2/health/live" -> Response.json(200, JSON.createObjectNode().put("live", true));
            case "/v2/health/ready" -> Response.json(current.get() == null ? 503 : 200,
                    JSON.createObjectNode().put("ready", current.get() != null));
            default -> {
                if (path.equals(model) && method.equals("GET")) {
                    yield withModel(served -> Response.json(200, KServe.metadata(served)));
                }
                if (path.equals(model + "/infer")) {
                    yield post(method, path, () -> withModel(served -> Response.json(200,
                            KServe.infer(served, parse(body)))));
                }
                yield Response.json(404, error("no such endpoint: " + path + " (this server serves model '"
                        + modelName + "')"));
            }
        };
    }

    private static Response post(String method, String path, java.util.function.Supplier<Response> handler) {
        return method.equals("POST") ? handler.get()
                : Response.json(405, error(path + " takes POST, not " + method));
    }

    private Response predict(ServedModel model, JsonNode body) {
        double[] features = RowParser.parse(body, model.transform());
        int rows = body.get("rows").size();
        metrics.rows(rows);
        return Response.json(200, Predictions.json(model, model.predict(features, rows), rows));
    }

    private Response withModel(java.util.function.Function<ServedModel, Response> work) {
        ServedModel model = current.get();
        if (model == null) {
            return Response.json(503, error("no model is loaded yet; see /v2/health/ready"));
        }
        return work.apply(model);
    }

    private static JsonNode parse(Buffer body) {
        try {
            return JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadRequestException("cannot read the body: " + e.getMessage());
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.getMessage());
        }
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
