package dev.caravan.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses decimal numbers straight from bytes. Numbers with at most 15 significant digits and a small exponent,
 * which is nearly every number in a CSV file, take Clinger's fast path: one exact multiplication or division of
 * two doubles, which is correctly rounded. Everything else goes to {@link Double#parseDouble}, so results always
 * equal Java's own parsing.
 */
final class NumberParser {
    /** Returned for text that is not a finite decimal number (check {@link #isNonFinite} to tell NaN/Inf apart). */
    static final double INVALID = Double.NaN;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };
    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    private NumberParser() {}

    /** The value of {@code bytes[start, end)} as a finite double, or NaN when it is not a number. */
    static double parse(byte[] bytes, int start, int end) {
        while (start < end && bytes[start] == ' ') {
            start++;
        }
        while (end > start && bytes[end - 1] == ' ') {
            end--;
        }
        if (start == end) {
            return INVALID;
        }
        int i = start;
        boolean negative = bytes[i] == '-';
        if (negative || bytes[i] == '+') {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean sawDigit = false;
        boolean sawPoint = false;
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b == '.' && !sawPoint) {
                sawPoint = true;
                continue;
            }
            if (!isDigit(b)) {
                break;
            }
            sawDigit = true;
            if (sawPoint) {
                exponent--;
            }
            if (digits > 0 || b != '0') { // leading zeros carry no precision
                if (digits >= 18) {
                    return slowPath(bytes, start, end);
                }
                mantissa = mantissa * 10 + (b - '0');
                digits++;
            }
        }
        if (!sawDigit) {
            return INVALID;
        }
        if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
            return slowPath(bytes, start, end);
        }
        if (i != end) {
            return INVALID;
        }
        double value;
        if (mantissa <= MAX_EXACT_MANTISSA && exponent >= -22) {
            value = exponent == 0 ? mantissa : mantissa / POWERS_OF_TEN[-exponent];
        } else {
            return slowPath(bytes, start, end);
        }
        return negative ? -value : value;
    }

    /** Whether the text spells NaN or an infinity, which Java and most CSV writers emit. */
    static boolean isNonFinite(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        return t.equals("nan") || t.equals("inf") || t.equals("infinity");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static double slowPath(byte[] bytes, int start, int end) {
        String text = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value)
                            && !text.endsWith("d")
                            && !text.endsWith("D")
                            && !text.endsWith("f")
                            && !text.endsWith("F")
                    ? value
                    : INVALID;
        } catch (NumberFormatException e) {
            return INVALID;
        }
    }
}
