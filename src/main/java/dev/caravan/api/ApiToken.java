package dev.caravan.api;

import dev.caravan.data.CaravanException;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the API token before a server starts. No token at all leaves the API read-only; a token that is set must
 * be a real secret: one that is blank or quotes, a placeholder some compose runner left unsubstituted
 * ({@code ${CARAVAN_API_TOKEN:-}}), or shorter than {@value #MIN_LENGTH} characters would let anyone who reads the
 * compose file write to the API, so the server refuses to start, naming the variable and never echoing it.
 */
public final class ApiToken {
    static final int MIN_LENGTH = 16;
    private static final Set<String> EMPTY_LOOKING = Set.of("\"\"", "''", "null", "none", "changeme");

    private ApiToken() {}

    /** The token to use: null for a read-only API; throws a bad setting for a token that is not a secret. */
    public static String check(String value) {
        if (value == null) {
            return null;
        }
        String token = value.strip();
        String variable = ApiServer.TOKEN_VARIABLE;
        if (token.isEmpty() || EMPTY_LOOKING.contains(token.toLowerCase(Locale.ROOT))) {
            throw refused(variable + " is set but empty-looking; set it to a secret of at least " + MIN_LENGTH
                    + " characters, or unset it for a read-only API");
        }
        if (token.startsWith("$") || token.contains("${")) {
            throw refused(variable + " holds an unsubstituted placeholder (it starts with '$'): the compose"
                    + " runner did not replace it; export " + variable + " before starting the stack");
        }
        if (token.length() < MIN_LENGTH) {
            throw refused(variable + " is " + token.length() + " characters long; a token needs at least " + MIN_LENGTH
                    + " (e.g. openssl rand -hex 24)");
        }
        return token;
    }

    private static CaravanException refused(String message) {
        return CaravanException.badSetting(message);
    }
}
