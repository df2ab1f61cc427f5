package dev.caravan.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** SQL text built from fixed fragments, with every value beside it as a bind parameter. */
final class Sql {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

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

    Object[] parameters() {
        return parameters.toArray();
    }
}
