package dev.caravan.api;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CaravanException.Kind;
import dev.caravan.data.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API routes' error handler (see {@code routeConfiguration} in routes/api.yaml): the exception's kind gives
 * the status code, its message the {@code {"error": "..."}} body. Only faults are logged, with their stack trace.
 */
final class ApiErrors implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Kind kind = CaravanException.kindOf(cause);
        if (kind == Kind.FAULT) {
            LOG.error(
                    "{} {} failed",
                    exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                    exchange.getIn().getHeader(Exchange.HTTP_URI),
                    cause);
        }
        Message reply = exchange.getMessage();
        reply.setHeader(Exchange.HTTP_RESPONSE_CODE, kind.httpStatus());
        if (kind == Kind.DENIED) {
            reply.setHeader("WWW-Authenticate", "Bearer realm=\"caravan\"");
        }
        reply.setBody(Json.MAPPER.createObjectNode().put("error", String.valueOf(cause.getMessage())));
    }
}
