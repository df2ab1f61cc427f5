package dev.caravan.api;

import dev.caravan.data.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The API's deadline on a request's arrival: one whose body has not arrived in full within the timeout gets 408
 * and loses its connection, so that a client sending a byte a second holds nothing for long. Camel's HTTP server
 * has no such setting; this is the first handler of its Vert.x router, ahead of the routes' body handlers.
 */
final class RequestDeadline {
    private final Vertx vertx;
    private final Duration timeout;
    private final Buffer answer;

    private RequestDeadline(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.answer = Buffer.buffer(Json.write(Json.MAPPER
                .createObjectNode()
                .put("error", "the request did not arrive within " + timeout.toSeconds() + " s")));
    }

    /** Puts the deadline in front of every route of {@code router}. */
    static void install(Router router, Vertx vertx, Duration timeout) {
        router.route().order(Integer.MIN_VALUE).handler(new RequestDeadline(vertx, timeout)::watch);
    }

    private void watch(RoutingContext context) {
        HttpServerRequest request = context.request();
        long timer = vertx.setTimer(timeout.toMillis(), fired -> {
            if (!request.isEnded() && !context.response().ended()) {
                context.response()
                        .setStatusCode(408)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end(answer)
                        .onComplete(sent -> request.connection().close());
            }
        });
        context.addEndHandler(ended -> vertx.cancelTimer(timer));
        context.next();
    }
}
