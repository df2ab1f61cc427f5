package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of every API exchange (an {@code onCompletion} in routes/api.yaml): writes the answer (a registry
 * record or a JSON tree) as JSON with the one mapper, and keeps only the reply's own headers, so that nothing from
 * the request (query parameters, cookies) is echoed back.
 */
final class JsonReply implements Processor {
    @Override
    public void process(Exchange exchange) {
        Message reply = exchange.getMessage();
        Object status = reply.getHeader(Exchange.HTTP_RESPONSE_CODE);
        Object challenge = reply.getHeader("WWW-Authenticate");
        Object body = reply.getBody();
        reply.getHeaders().clear();
        if (status != null) {
            reply.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
        if (challenge != null) {
            reply.setHeader("WWW-Authenticate", challenge);
        }
        reply.setHeader(Exchange.CONTENT_TYPE, "application/json");
        boolean answer =
                body instanceof JsonNode || (body != null && body.getClass().isRecord());
        reply.setBody(answer ? Json.write(body) : body);
    }
}
