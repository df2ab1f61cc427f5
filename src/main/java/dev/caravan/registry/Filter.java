package dev.caravan.registry;

import java.util.List;

/**
 * A parsed run filter. Comparisons hold their values ready to bind: {@code String}, {@code Double}, {@code UUID}
 * or {@code OffsetDateTime}, already checked against the field's type.
 */
sealed interface Filter {
    /** Matches every run: what an empty filter means. */
    Filter ALL = new And(List.of());

    record And(List<Filter> parts) implements Filter {
        public And {
            parts = List.copyOf(parts);
        }
    }

    record Or(List<Filter> parts) implements Filter {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    record Not(Filter inner) implements Filter {}

    record Comparison(Field field, Operator operator, List<Object> values) implements Filter {
        public Comparison {
            values = List.copyOf(values);
        }
    }

    /** The comparison operators, each with its SQL: the only operators that reach SQL. */
    enum Operator {
        EQ("="),
        NE("<>"),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        LIKE("like"),
        NOT_LIKE("not like"),
        IN("in"),
        NOT_IN("not in");

        final String sql;

        Operator(String sql) {
            this.sql = sql;
        }

        boolean takesList() {
            return this == IN || this == NOT_IN;
        }

        boolean isLike() {
            return this == LIKE || this == NOT_LIKE;
        }

        boolean isOrdering() {
            return this == LT || this == LE || this == GT || this == GE;
        }
    }
}
