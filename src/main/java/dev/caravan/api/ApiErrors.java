package dev.caravan.api;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CaravanException.Kind;
import dev.caravan.data.Json;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API routes' error handler (see {@code routeConfiguration} in routes/api.yaml): the exception's kind gives
 * the status code, its message the {@code {"error": "..."}} body. A fault's message may carry the driver's or the
 * database's words, so its body says only that it failed and gives an error id; the log has the id, the message
 * and the stack trace.
 */
final class ApiErrors implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Kind kind = CaravanException.kindOf(cause);
        String message = String.valueOf(cause.getMessage());
        if (kind == Kind.FAULT) {
            String errorId = UUID.randomUUID().toString();
            LOG.error(
                    "{} {} failed (error id {})",
                    exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                    exchange.getIn().getHeader(Exchange.HTTP_URI),
                    errorId,
                    cause);
            message = "internal error " + errorId + ": the server's log has the details";
        }
        Message reply = exchange.getMessage();
        reply.setHeader(Exchange.HTTP_RESPONSE_CODE, kind.httpStatus());
        if (kind == Kind.DENIED) {
            reply.setHeader("WWW-Authenticate", "Bearer realm=\"caravan\"");
        }
        reply.setBody(Json.MAPPER.createObjectNode().put("error", message));
    }
}
