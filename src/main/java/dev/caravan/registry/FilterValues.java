package dev.caravan.registry;

import dev.caravan.registry.Filter.Operator;
import dev.caravan.registry.FilterLexer.Token;
import dev.caravan.registry.FilterLexer.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a comparison's values against its field and turns them into what JDBC binds. Metrics take numbers;
 * params and tags take strings (compared as text) or numbers (compared with the value's numeric reading); text
 * attributes take strings, {@code run_id} UUIDs, the times ISO-8601 strings.
 */
final class FilterValues {
    private static final Set<String> STATUSES = Set.of("RUNNING", "SUCCEEDED", "FAILED");
    private static final Map<String, Double> NON_FINITE =
            Map.of("NaN", Double.NaN, "Infinity", Double.POSITIVE_INFINITY, "-Infinity", Double.NEGATIVE_INFINITY);

    private FilterValues() {}

    static List<Object> bindable(Field field, Operator operator, List<Token> values) {
        return switch (field.kind()) {
            case METRIC -> {
                if (operator.isLike()) {
                    throw new IllegalArgumentException(field + " is a number: LIKE compares text");
                }
                yield values.stream()
                        .<Object>map(value -> metric(field, operator, value))
                        .toList();
            }
            case PARAM, TAG -> {
                Type type = operator.isLike() ? Type.STRING : values.get(0).type();
                yield values.stream()
                        .<Object>map(value -> type == Type.NUMBER ? number(field, value) : text(field, value))
                        .toList();
            }
            case ATTRIBUTE -> attributeValues(field, operator, values);
        };
    }

    private static List<Object> attributeValues(Field field, Operator operator, List<Token> values) {
        RunAttribute attribute = field.attribute();
        if (attribute.type == RunAttribute.Type.TIME && operator.isLike()) {
            throw new IllegalArgumentException(field + " is a time: LIKE compares text");
        }
        if (attribute.type == RunAttribute.Type.UUID && operator.isOrdering()) {
            throw new IllegalArgumentException(field + " takes =, !=, IN or LIKE");
        }
        return values.stream()
                .<Object>map(value -> {
                    String text = text(field, value);
                    if (operator.isLike()) {
                        return text;
                    }
                    return switch (attribute.type) {
                        case TEXT -> attribute == RunAttribute.STATUS ? status(text, value) : text;
                        case UUID -> uuid(text, value);
                        case TIME -> time(text, value);
                    };
                })
                .toList();
    }

    /** A number, or for = and != (and IN) one of 'NaN', 'Infinity', '-Infinity': how a diverged run is found. */
    private static Double metric(Field field, Operator operator, Token value) {
        if (value.type() == Type.STRING && !operator.isOrdering()) {
            Double special = NON_FINITE.get(value.text());
            if (special != null) {
                return special;
            }
        }
        return number(field, value);
    }

    private static Double number(Field field, Token value) {
        if (value.type() != Type.NUMBER) {
            throw new IllegalArgumentException(field + " compares numbers, but " + value.describe() + " is a string");
        }
        return Double.valueOf(value.text());
    }

    private static String text(Field field, Token value) {
        if (value.type() != Type.STRING) {
            throw new IllegalArgumentException(
                    field + " compares text, but " + value.describe() + " is a number: quote it");
        }
        return value.text();
    }

    private static String status(String text, Token value) {
        String status = text.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status is RUNNING, SUCCEEDED or FAILED, not " + value.describe());
        }
        return status;
    }

    private static UUID uuid(String text, Token value) {
        if (!text.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException(
                    value.describe() + " is not a run id: use the whole id, or" + " run_id LIKE 'prefix%'");
        }
        return UUID.fromString(text);
    }

    /** An ISO-8601 date or date-time; without an offset it is UTC. */
    private static OffsetDateTime time(String text, Token value) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(
                    text.replace(' ', 'T'), ZonedDateTime::from, LocalDateTime::from);
            return parsed instanceof LocalDateTime local
                    ? local.atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.ofInstant(Instant.from(parsed), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    value.describe() + " is not a time: use ISO-8601, e.g. 2024-05-01" + " or 2024-05-01T12:00:00Z");
        }
    }
}
