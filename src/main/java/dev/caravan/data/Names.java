package dev.caravan.data;

import java.util.regex.Pattern;

/**
 * The one rule for the names people choose: pipelines (and so their models) and aliases. A name appears in model
 * references ({@code NAME@ALIAS}, {@code NAME:VERSION}), artifact paths and image tags, so it holds no blanks,
 * separators or slashes.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The rule, as error messages state it after the name. */
    public static final String RULE =
            "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'";

    private Names() {}

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** A name made from free text (a file name): every character a name may not hold becomes '-'. */
    public static String from(String text) {
        String name = text.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
        return name.isEmpty() ? "default" : name;
    }
}
