package dev.caravan.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.data.CaravanException;
import dev.caravan.data.CaravanException.Kind;
import dev.caravan.data.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one model name over HTTP (Vert.x event loops): {@code POST /predict} (raw rows), the KServe v2
 * endpoints, and {@code GET /metrics}. Ready once a model is loaded; {@link #swap} replaces the model atomically,
 * and the old one is closed only after requests that already hold it have had time to finish.
 */
public final class ModelServer implements AutoCloseable {
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    /**
     * What one request may take: the bytes of its body (413 beyond), the rows of {@code /predict} and
     * {@code /infer} (400 beyond, before anything is sized by them), the time from its first byte to its last
     * (408, and the connection closed: a client sending a byte a second holds nothing for long), and the time it
     * may wait for inference to start (503 beyond: under overload the requests that are taken stay fast).
     */
    public record Limits(int maxBodyBytes, int maxRows, Duration requestTimeout, Duration queueWait) {
        /** More rows than a 1 MiB body holds of a real table's rows; far fewer than its empty ones. */
        public static final int DEFAULT_MAX_ROWS = 10_000;

        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
        /** Hundreds of batches' worth here, and what a caller's own timeout rarely goes below. */
        public static final long DEFAULT_QUEUE_WAIT_MILLIS = 20;

        public static final Duration DEFAULT_QUEUE_WAIT = Duration.ofMillis(DEFAULT_QUEUE_WAIT_MILLIS);

        public static final Limits DEFAULT =
                new Limits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ROWS, DEFAULT_REQUEST_TIMEOUT, DEFAULT_QUEUE_WAIT);

        public Limits {
            if (maxBodyBytes < 1 || maxRows < 1 || !positive(requestTimeout) || !positive(queueWait)) {
                throw CaravanException.badSetting("the body limit, the row limit, the request timeout and the"
                        + " queue wait must be positive, got " + maxBodyBytes + " bytes, " + maxRows + " rows, "
                        + requestTimeout + ", " + queueWait);
            }
        }

        private static boolean positive(Duration duration) {
            return !duration.isNegative() && !duration.isZero();
        }
    }

    /** JSON bodies nest a few levels ({@code inputs[0].data[row][column]}); deeper ones are refused while read. */
    private static final ObjectMapper REQUESTS = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(16).build())
                    .build())
            .build();

    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
    private static final String MODELS = "/v2/models";
    private static final String INFER = "/infer";

    /** Multi-row and KServe inferences that may wait for a thread; more get 503 at once. */
    private static final int INFERENCE_QUEUE = 64;
    /** Single rows that may wait for the micro-batcher. */
    private static final int BATCHER_QUEUE = 4096;

    private final String modelName;
    private final Limits limits;
    private final Vertx vertx;
    private final HttpServer http;
    /** Inference off the event loops, bounded: a full queue is answered 503, never waited on. */
    private final ThreadPoolExecutor inference = new ThreadPoolExecutor(
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(INFERENCE_QUEUE),
            runnable -> {
                Thread thread = new Thread(runnable, "caravan-inference");
                thread.setDaemon(true);
                return thread;
            });
    /** Background loops the server needs (the batcher, a model watcher): readiness fails when one has died. */
    private final Map<String, BooleanSupplier> loops = new ConcurrentHashMap<>();

    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    /**
     * How long the latest answer waited for its event loop to write it. Past the queue wait the loops are the
     * bottleneck (more connections than they keep up with), so new inferences are refused before their body is
     * parsed, in the proportion by which the lag overshoots (twice the wait: half are refused): cheap refusals
     * shorten the loops' rounds, and the inferences still taken keep the server doing useful work and keep this
     * measure up to date.
     */
    private volatile long answerLagNanos;

    /**
     * Requests read and not yet answered. Shedding needs more than {@link #SHEDDING_IN_FLIGHT} of them: with fewer
     * a slow loop is a busy machine (a collection, training beside it), which refusing would not help.
     */
    private final AtomicInteger inFlight = new AtomicInteger();

    private static final int SHEDDING_IN_FLIGHT = 256;

    private final ServerMetrics metrics;
    private final MicroBatcher batcher;

    private ModelServer(String modelName, Limits limits, Vertx vertx, HttpServer http, MicroBatcher batcher) {
        this.modelName = modelName;
        this.limits = limits;
        this.metrics = new ServerMetrics(
                Set.of("/predict", "/metrics", "/v2/health/live", "/v2/health/ready", MODELS, MODELS + INFER));
        this.vertx = vertx;
        this.http = http;
        this.batcher = batcher;
    }

    /**
     * Starts listening on {@code port} (0 picks a free one) with {@code threads} event loops; not ready until the
     * first {@link #swap}. Micro-batching is off.
     */
    public static ModelServer start(String modelName, int port, Limits limits, int threads) {
        return start(modelName, port, limits, threads, 1, 0);
    }

    /**
     * As {@link #start(String, int, Limits, int)}, with single-row {@code /predict} requests gathered into batches
     * of up to {@code maxBatch} rows, each waiting at most {@code maxDelayMicros} for company ({@code maxBatch}
     * 1 turns it off).
     */
    public static ModelServer start(
            String modelName, int port, Limits limits, int threads, int maxBatch, long maxDelayMicros) {
        Vertx vertx =
                Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setWorkerPoolSize(1));
        HttpServer http = vertx.createHttpServer(new HttpServerOptions()
                .setTcpNoDelay(true)
                .setPort(port)
                // a kept-alive connection that says nothing for this long is closed
                .setIdleTimeout((int) Math.max(1, limits.requestTimeout().toSeconds() * 3))
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
        MicroBatcher batcher =
                maxBatch > 1 ? new MicroBatcher(maxBatch, maxDelayMicros, BATCHER_QUEUE, limits.queueWait()) : null;
        ModelServer server = new ModelServer(modelName, limits, vertx, http, batcher);
        http.requestHandler(server::accept);
        try {
            http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return server;
        } catch (Exception e) {
            vertx.close();
            throw CaravanException.badSetting("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return http.actualPort();
    }

    /** The served model, or null before the first load. */
    public ServedModel model() {
        return current.get();
    }

    /**
     * Serves {@code next} from now on; the previous model is retired, and its session closes when the last request
     * on it has finished (a reference count, not a delay).
     */
    public void swap(ServedModel next) {
        ServedModel previous = current.getAndSet(next);
        metrics.serving(next);
        LOG.info("serving {} version {} ({})", next.name(), next.version(), next.precision());
        if (previous != null) {
            previous.close();
        }
    }

    /** Makes readiness depend on a background loop: {@code alive} false turns {@code /v2/health/ready} to 503. */
    public void dependOn(String loop, BooleanSupplier alive) {
        loops.put(loop, alive);
    }

    /** The loops that have died; none when the server can answer. */
    private List<String> deadLoops() {
        List<String> dead = new ArrayList<>();
        if (batcher != null && !batcher.alive()) {
            dead.add("micro-batcher");
        }
        loops.forEach((name, alive) -> {
            if (!alive.getAsBoolean()) {
                dead.add(name);
            }
        });
        return dead;
    }

    /** The served model with a hold taken for one request (release it), or null before the first load. */
    private ServedModel acquire() {
        while (true) {
            ServedModel model = current.get();
            if (model == null || model.acquire()) {
                return model;
            }
            // retired between the read and the hold: the model that replaced it is current now
        }
    }

    /**
     * Reads the body up to the limit, then answers; a larger body is refused without keeping it, an inference
     * while the event loops lag is refused without reading it, and a request that has not ended by the deadline
     * gets 408 and loses its connection.
     */
    private void accept(HttpServerRequest request) {
        long started = System.nanoTime();
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        long lag = answerLagNanos;
        boolean shed = inFlight.incrementAndGet() > SHEDDING_IN_FLIGHT
                && request.method() == HttpMethod.POST
                && lag * ThreadLocalRandom.current().nextDouble()
                        > limits.queueWait().toNanos()
                && (request.path().equals("/predict") || request.path().endsWith(INFER));
        request.handler(chunk -> {
            if (body.length() + chunk.length() > limits.maxBodyBytes()) {
                tooLarge[0] = true;
            } else if (!tooLarge[0] && !shed) {
                body.appendBuffer(chunk);
            }
        });
        boolean[] timedOut = {false};
        long deadline = vertx.setTimer(limits.requestTimeout().toMillis(), fired -> {
            timedOut[0] = true;
            request.response()
                    .setStatusCode(408)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close")
                    .end(Buffer.buffer(Response.json(
                                    408,
                                    error("the request did not arrive within "
                                            + limits.requestTimeout().toSeconds() + " s"))
                            .body()))
                    .onComplete(sent -> request.connection().close());
            inFlight.decrementAndGet();
            metrics.request(endpoint(request.path()), 408, (System.nanoTime() - started) / 1e9);
        });
        Context context = Vertx.currentContext();
        request.endHandler(ended -> {
            if (!vertx.cancelTimer(deadline) && timedOut[0]) {
                return; // answered 408 already
            }
            if (shed) { // written now: a refusal must not wait in the queue it is refused for
                write(
                        request,
                        started,
                        failed(
                                request.path(),
                                MicroBatcher.overloaded(
                                        "answers wait " + TimeUnit.NANOSECONDS.toMillis(lag) + " ms to be written")));
                return;
            }
            CompletableFuture<Response> answer = tooLarge[0]
                    ? CompletableFuture.completedFuture(
                            Response.json(413, error("the body is over the " + limits.maxBodyBytes() + "-byte limit")))
                    : answer(request.method().name(), request.path(), body);
            answer.whenComplete((response, failure) -> {
                long ready = System.nanoTime();
                context.runOnContext(done -> {
                    answerLagNanos = System.nanoTime() - ready;
                    write(request, started, failure == null ? response : failed(request.path(), failure));
                });
            });
        });
    }

    private void write(HttpServerRequest request, long started, Response sent) {
        inFlight.decrementAndGet();
        HttpServerResponse reply =
                request.response().setStatusCode(sent.status()).putHeader("Content-Type", sent.type());
        if (sent.status() == 503) {
            reply.putHeader("Retry-After", "1");
        }
        reply.end(Buffer.buffer(sent.body()));
        metrics.request(endpoint(request.path()), sent.status(), (System.nanoTime() - started) / 1e9);
    }

    private static Response failed(String path, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Kind kind = CaravanException.kindOf(cause);
        if (kind != Kind.FAULT) {
            return Response.json(kind.httpStatus(), error(cause.getMessage()));
        }
        String errorId = UUID.randomUUID().toString();
        LOG.error("request to {} failed (error id {})", path, errorId, cause);
        return Response.json(500, error("internal error " + errorId + ": the server's log has the details"));
    }

    /** One HTTP answer. */
    record Response(int status, String type, byte[] body) {
        static Response json(int status, JsonNode body) {
            try {
                return new Response(status, "application/json", Json.MAPPER.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a response", e);
            }
        }
    }

    private CompletableFuture<Response> answer(String method, String path, Buffer body) {
        try {
            if (path.equals("/predict") && method.equals("POST")) {
                return predict(body);
            }
            if (path.equals("/v2/models/" + modelName + "/infer") && method.equals("POST")) {
                return infer(body);
            }
            return CompletableFuture.completedFuture(route(method, path));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(path, e));
        }
    }

    /** The path as metrics count it: this model's paths under one name whatever it is, unknown ones as other. */
    private String endpoint(String path) {
        String model = "/v2/models/" + modelName;
        return metrics.endpoint(path.equals(model) ? MODELS : path.equals(model + INFER) ? MODELS + INFER : path);
    }

    private Response route(String method, String path) {
        String model = "/v2/models/" + modelName;
        return switch (path) {
            case "/predict" -> Response.json(405, error(path + " takes POST, not " + method));
            case "/metrics" -> new Response(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.render().getBytes(StandardCharsets.UTF_8));
            case "/v2/health/live" -> Response.json(
                    200, Json.MAPPER.createObjectNode().put("live", true));
            case "/v2/health/ready" -> ready();
            default -> {
                if (path.equals(model) && method.equals("GET")) {
                    yield withModel(served -> Response.json(200, KServe.metadata(served)));
                }
                if (path.equals(model + "/infer")) {
                    yield Response.json(405, error(path + " takes POST, not " + method));
                }
                yield Response.json(
                        404, error("no such endpoint: " + path + " (this server serves model '" + modelName + "')"));
            }
        };
    }

    private Response ready() {
        List<String> dead = deadLoops();
        boolean ready = current.get() != null && dead.isEmpty();
        ObjectNode answer = Json.MAPPER.createObjectNode().put("ready", ready);
        dead.forEach(answer.putArray("deadLoops")::add);
        return Response.json(ready ? 200 : 503, answer);
    }

    /**
     * Single rows go through the micro-batcher when it is on; others run on the bounded inference pool. Either
     * way the model is held until the answer is made, so a hot swap never closes it under a request.
     */
    private CompletableFuture<Response> predict(Buffer body) {
        return withHeldModel(model -> {
            JsonNode json = parse(body);
            double[] features = RowParser.parse(json, model.transform(), limits.maxRows());
            int rows = json.get("rows").size();
            metrics.rows(rows);
            if (batcher != null && rows == 1) {
                return batcher.submit(model, features)
                        .thenApply(outputs -> Response.json(200, Predictions.json(model, outputs, 1)));
            }
            return offTheEventLoop(
                    () -> Response.json(200, Predictions.json(model, model.predict(features, rows), rows)));
        });
    }

    /** KServe inference: parsed here (bounded), checked and run on the inference pool. */
    private CompletableFuture<Response> infer(Buffer body) {
        return withHeldModel(model -> {
            JsonNode json = parse(body);
            return offTheEventLoop(() -> Response.json(200, KServe.infer(model, json, limits.maxRows())));
        });
    }

    /** On the inference pool; work that waited there past the queue wait is answered 503 without running. */
    private CompletableFuture<Response> offTheEventLoop(Supplier<Response> work) {
        long latest = System.nanoTime() + limits.queueWait().toNanos();
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        if (System.nanoTime() - latest > 0) {
                            throw MicroBatcher.overloaded("the inference waited past "
                                    + limits.queueWait().toMillis() + " ms for a thread");
                        }
                        return work.get();
                    },
                    inference);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(
                    MicroBatcher.overloaded(INFERENCE_QUEUE + " inferences are waiting for a thread"));
        }
    }

    /** Runs {@code work} with a hold on the served model, given back when its answer is complete. */
    private CompletableFuture<Response> withHeldModel(Function<ServedModel, CompletableFuture<Response>> work) {
        ServedModel model = acquire();
        if (model == null) {
            return CompletableFuture.completedFuture(
                    Response.json(503, error("no model is loaded yet; see /v2/health/ready")));
        }
        CompletableFuture<Response> answer;
        try {
            answer = work.apply(model);
        } catch (RuntimeException e) {
            model.release();
            throw e;
        }
        return answer.whenComplete((response, failure) -> model.release());
    }

    private Response withModel(Function<ServedModel, Response> work) {
        ServedModel model = acquire();
        if (model == null) {
            return Response.json(503, error("no model is loaded yet; see /v2/health/ready"));
        }
        try {
            return work.apply(model);
        } finally {
            model.release();
        }
    }

    private static JsonNode parse(Buffer body) {
        try {
            return REQUESTS.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw CaravanException.badData("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CaravanException.badData("cannot read the body: " + e.getMessage());
        }
    }

    private static ObjectNode error(String message) {
        return Json.MAPPER.createObjectNode().put("error", message);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.getMessage());
        }
        inference.shutdownNow();
        metrics.close();
        if (batcher != null) {
            batcher.close();
        }
        ServedModel model = current.getAndSet(null);
        if (model != null) {
            model.close();
        }
    }

    /** Builds {@code /predict} answers. */
    static final class Predictions {
        private Predictions() {}

        static ObjectNode json(ServedModel model, float[] outputs, int rows) {
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.putObject("model").put("name", model.name()).put("version", model.version());
            ArrayNode predictions = answer.putArray("predictions");
            int width = model.outputs();
            for (int r = 0; r < rows; r++) {
                if (model.labels().isEmpty()) {
                    predictions.add(outputs[r]);
                    continue;
                }
                ObjectNode prediction = predictions.addObject();
                ObjectNode probabilities = Json.MAPPER.createObjectNode();
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
