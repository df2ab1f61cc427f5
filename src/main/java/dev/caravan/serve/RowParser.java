package dev.caravan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.CaravanException;
import dev.caravan.data.ColumnType;
import dev.caravan.data.FittedTransform;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code {"rows": [{column: value, ...}, ...]}} into encoded features with the model's own transform.
 * Every refusal names the row and column: unknown and missing columns, values of the wrong JSON type, values
 * that do not parse (NaN included), an empty or absent {@code rows}. The target column, if sent, is ignored.
 */
final class RowParser {
    private RowParser() {}

    static double[] parse(JsonNode body, FittedTransform transform, int maxRows) {
        JsonNode rows = body == null ? null : body.get("rows");
        if (rows == null || !rows.isArray()) {
            throw CaravanException.badData("the body must be a JSON object with an array field 'rows'");
        }
        if (rows.isEmpty()) {
            throw CaravanException.badData("'rows' is empty: send at least one row");
        }
        if (rows.size() > maxRows) {
            throw CaravanException.badData("'rows' holds " + rows.size() + " rows; this server takes at most " + maxRows
                    + " per request (--max-rows)");
        }
        int width = transform.featureCount();
        double[] features = new double[Math.multiplyExact(rows.size(), width)];
        Set<String> inputs = new HashSet<>();
        transform.inputs().forEach(input -> inputs.add(input.name()));
        for (int r = 0; r < rows.size(); r++) {
            double[] encoded = encode(rows.get(r), r, transform, inputs);
            for (int j = 0; j < width; j++) {
                features[r * width + j] = encoded[j];
            }
        }
        return features;
    }

    private static double[] encode(JsonNode row, int index, FittedTransform transform, Set<String> inputs) {
        if (!row.isObject()) {
            throw CaravanException.badData("rows[" + index + "] must be a JSON object of column to value");
        }
        Map<String, Object> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = row.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!inputs.contains(field.getKey())) {
                if (field.getKey().equals(transform.target().name())) {
                    continue;
                }
                throw CaravanException.badData("rows[" + index + "]: unknown column '" + field.getKey()
                        + "' (the model reads: " + String.join(", ", inputs) + ")");
            }
        }
        for (FittedTransform.Input input : transform.inputs()) {
            JsonNode value = row.get(input.name());
            if (value == null) {
                throw CaravanException.badData("rows[" + index + "]: column '" + input.name() + "' is missing");
            }
            values.put(input.name(), value(value, input, index));
        }
        try {
            return transform.encodeUnnormalized(values);
        } catch (CaravanException e) {
            throw CaravanException.badData("rows[" + index + "]: " + e.getMessage());
        }
    }

    /** The JSON value as the transform takes it; a type that cannot be that column's is refused here. */
    private static Object value(JsonNode value, FittedTransform.Input input, int index) {
        if (value.isNull()) {
            return null;
        }
        boolean fits =
                switch (input.type()) {
                    case NUMERIC -> value.isNumber();
                    case BOOLEAN -> value.isBoolean() || value.isTextual() || value.isNumber();
                    case DATE -> value.isTextual();
                    case CATEGORICAL -> value.isTextual() || value.isNumber() || value.isBoolean();
                };
        if (!fits) {
            throw CaravanException.badData("rows[" + index + "]: column '" + input.name() + "' must be "
                    + (input.type() == ColumnType.DATE
                            ? "a yyyy-MM-dd string"
                            : "a " + input.type().id() + " value") + ", got " + value);
        }
        if (input.type() == ColumnType.CATEGORICAL) {
            return value.asText(); // 7 -> "7", as the CSV spelled the level
        }
        if (value.isNumber()) {
            if (!Double.isFinite(value.doubleValue())) { // 1e400 reads as infinity
                throw CaravanException.badData(
                        "rows[" + index + "]: column '" + input.name() + "' must be a finite number, got " + value);
            }
            return value.doubleValue();
        }
        return value.isBoolean() ? value.booleanValue() : value.asText();
    }
}
