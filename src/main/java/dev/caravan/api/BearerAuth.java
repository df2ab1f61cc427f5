package dev.caravan.api;

import dev.caravan.data.CaravanException;
import dev.caravan.data.Sha256;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Lets reads through and asks every write (any method but GET, HEAD and OPTIONS) for
 * {@code Authorization: Bearer $CARAVAN_API_TOKEN}. A server without a token refuses all writes.
 */
final class BearerAuth implements Processor {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String SCHEME = "Bearer ";

    /** The token's SHA-256: comparing digests takes the same time whatever the token's length or content. */
    private final byte[] tokenDigest;

    /** {@code token}: null or blank when the server has none. */
    BearerAuth(String token) {
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token);
    }

    @Override
    public void process(Exchange exchange) {
        Message request = exchange.getIn();
        String authorization = request.getHeader("Authorization", String.class);
        request.removeHeader("Authorization"); // no later step, log or reply needs to see it
        if (inQuery(request.getHeader(Exchange.HTTP_QUERY, String.class))) {
            // Camel maps query parameters to headers; a token in a URL ends up in logs and histories
            throw unauthorized("send the token in the Authorization header, never in the URL");
        }
        if (READS.contains(request.getHeader(Exchange.HTTP_METHOD, String.class))) {
            return;
        }
        if (tokenDigest == null) {
            throw unauthorized("this server accepts no writes: start it with " + ApiServer.TOKEN_VARIABLE + " set");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw unauthorized("writes need the header Authorization: Bearer <" + ApiServer.TOKEN_VARIABLE + ">");
        }
        if (!MessageDigest.isEqual(
                sha256(authorization.substring(SCHEME.length()).trim()), tokenDigest)) {
            throw unauthorized("the bearer token is not this server's " + ApiServer.TOKEN_VARIABLE);
        }
    }

    private static boolean inQuery(String query) {
        if (query == null) {
            return false;
        }
        for (String parameter : query.split("&")) {
            String name = parameter.split("=", 2)[0];
            if (URLDecoder.decode(name, StandardCharsets.UTF_8).equalsIgnoreCase("Authorization")) {
                return true;
            }
        }
        return false;
    }

    private static CaravanException unauthorized(String message) {
        return new CaravanException(CaravanException.Kind.DENIED, message);
    }

    private static byte[] sha256(String text) {
        return Sha256.digest().digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
