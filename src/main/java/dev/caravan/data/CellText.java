package dev.caravan.data;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How cell text reads as a boolean or a date. Ingestion and the transform's raw-row encoder share it, so that a
 * value served later parses exactly as it did when the model was trained.
 */
public final class CellText {
    private CellText() {}

    /** 1 for true/yes/t/y, 0 for false/no/f/n (any case), NaN for anything else. */
    public static double parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "t", "y" -> 1;
            case "false", "no", "f", "n" -> 0;
            default -> Double.NaN;
        };
    }

    /** The epoch day of an ISO date (yyyy-MM-dd), or NaN when the text is not one. */
    public static double parseDate(String text) {
        String trimmed = text.trim();
        if (trimmed.length() != 10 || trimmed.charAt(4) != '-' || trimmed.charAt(7) != '-') {
            return Double.NaN;
        }
        try {
            return LocalDate.parse(trimmed).toEpochDay();
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }
}
