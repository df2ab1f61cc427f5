package dev.caravan.registry;

import dev.caravan.data.Names;
import java.util.regex.Pattern;

/**
 * Names a model version: {@code NAME} (the newest version), {@code NAME:VERSION} (a pinned one) or
 * {@code NAME@ALIAS} (the one the alias points at). At most one of {@code version} and {@code alias} is set.
 */
public record ModelReference(String name, Integer version, String alias) {
    /** What a name in a reference may hold: anything but blanks and the two separators (names follow {@link Names}). */
    private static final Pattern PART = Pattern.compile("[^\\s:@]+");

    public ModelReference {
        requirePart(name, "model name");
        if (alias != null) {
            requireAlias(alias);
        }
        if (version != null && alias != null) {
            throw new IllegalArgumentException("a model reference names a version or an alias, not both");
        }
    }

    /** Parses {@code NAME}, {@code NAME:VERSION} or {@code NAME@ALIAS}. */
    public static ModelReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a model reference is NAME, NAME:VERSION or NAME@ALIAS; got nothing");
        }
        int at = text.indexOf('@');
        int colon = text.indexOf(':');
        if (at >= 0 && colon >= 0) {
            throw new IllegalArgumentException("'" + text + "': give NAME:VERSION or NAME@ALIAS, not both");
        }
        if (at >= 0) {
            return new ModelReference(text.substring(0, at), null, text.substring(at + 1));
        }
        if (colon >= 0) {
            return new ModelReference(text.substring(0, colon), version(text, text.substring(colon + 1)), null);
        }
        return new ModelReference(text, null, null);
    }

    /** Checks that {@code alias} follows the rule for names, as aliases that blessing specs name do. */
    public static void requireAlias(String alias) {
        if (!Names.valid(alias)) {
            throw new IllegalArgumentException(
                    "'" + (alias == null ? "" : alias) + "' is not a valid alias: an alias " + Names.RULE);
        }
    }

    private static void requirePart(String part, String what) {
        if (part == null || !PART.matcher(part).matches()) {
            throw new IllegalArgumentException("'" + (part == null ? "" : part) + "' is not a valid " + what
                    + " (it must not be empty or hold blanks, ':' or '@')");
        }
    }

    private static int version(String text, String digits) {
        try {
            int version = Integer.parseInt(digits);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below, with the reference
        }
        throw new IllegalArgumentException("'" + text + "': the version after ':' must be a number from 1 up");
    }

    @Override
    public String toString() {
        return name + (version != null ? ":" + version : alias != null ? "@" + alias : "");
    }
}
