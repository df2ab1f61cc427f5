package dev.caravan.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How enum settings are spelled in spec files and JSON: lower case ({@code median}, {@code zscore}). Parsing
 * ignores case, dashes and underscores, and a wrong name gets an error listing the right ones.
 */
public final class EnumNames {
    private EnumNames() {
    }

    public static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant named {@code text}; otherwise "unknown WHAT 'text' (expected a, b or c)". */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        String wanted = normalize(text);
        for (E constant : type.getEnumConstants()) {
            if (normalize(constant.name()).equals(wanted)) {
                return constant;
            }
        }
        String[] names = Arrays.stream(type.getEnumConstants()).map(EnumNames::id).toArray(String[]::new);
        String expected = names.length == 1 ? names[0]
                : Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", ")) + " or "
                        + names[names.length - 1];
        throw new IllegalArgumentException("unknown " + what + " '" + text + "' (expected " + expected + ")");
    }

    private static String normalize(String text) {
        return text == null ? "" : text.trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
