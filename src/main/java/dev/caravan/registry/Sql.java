package dev.caravan.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** SQL text built from fixed fragments, with every value beside it as a bind parameter. */
final class Sql {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    Sql add(String fragment, Object... values) {
        text.append(fragment);
        Collections.addAll(parameters, values);
        return this;
    }

    Sql add(Sql other) {
        text.append(other.text);
        parameters.addAll(other.parameters);
        return this;
    }

    /** Repeats {@code "?"} for each value, comma-separated: the inside of an IN list. */
    Sql addList(List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            add(i == 0 ? "?" : ", ?", values.get(i));
        }
        return this;
    }

    String text() {
        return text.toString();
    }

    <T> List<T> query(Connection connection, Row<T> mapper) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(text.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }
    }
}
