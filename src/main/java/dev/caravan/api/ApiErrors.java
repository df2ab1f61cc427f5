package dev.caravan.api;

import dev.caravan.pipeline.ConfigException;
import dev.caravan.pipeline.Json;
import dev.caravan.pipeline.PipelineBusyException;
import dev.caravan.registry.NotFoundException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API routes' error handler (see {@code routeConfiguration} in routes/api.yaml): turns the exception into a
 * status code and a {@code {"error": "..."}} body. Only unexpected exceptions are logged, with their stack trace.
 */
final class ApiErrors implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = status(cause);
        if (status == 500) {
            LOG.error("{} {} failed", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                    exchange.getIn().getHeader(Exchange.HTTP_URI), cause);
        }
        Message reply = exchange.getMessage();
        reply.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (status == 401) {
            reply.setHeader("WWW-Authenticate", "Bearer realm=\"caravan\"");
        }
        reply.setBody(Json.MAPPER.createObjectNode().put("error", String.valueOf(cause.getMessage())));
    }

    private static int status(Throwable cause) {
        if (cause instanceof ApiException api) {
            return api.status();
        }
        if (cause instanceof NotFoundException) {
            return 404;
        }
        if (cause instanceof PipelineBusyException) {
            return 409;
        }
        if (cause instanceof IllegalArgumentException || cause instanceof ConfigException) {
            return 400;
        }
        if (cause instanceof RejectedExecutionException) {
            return 503;
        }
        return 500;
    }
}
