package dev.caravan.registry;

import dev.caravan.registry.Field.Kind;
import dev.caravan.registry.Filter.Operator;
import dev.caravan.registry.FilterLexer.Token;
import dev.caravan.registry.FilterLexer.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A recursive-descent parser for run filters, order keys and aggregates. Grammar (keywords in any case):
 *
 * <pre>
 * filter     := or
 * or         := and ("OR" and)*
 * and        := unary ("AND" unary)*
 * unary      := "NOT" unary | "(" or ")" | comparison
 * comparison := field ("=" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | ["NOT"] "LIKE") value
 *             | field ["NOT"] "IN" "(" value ("," value)* ")"
 * field      := ("metrics" | "params" | "tags") "." (KEY | quoted key) | ["attributes."] attribute
 * value      := number | 'text' | "text"          (a doubled quote stands for itself)
 * order      := field ["ASC" | "DESC"] ("," field ["ASC" | "DESC"])*
 * aggregate  := "count(*)" | ("count" | "min" | "max" | "avg" | "sum") "(" field ")"
 * </pre>
 *
 * A KEY is letters, digits, {@code _ - .}; a quoted key ({@code metrics.`my key`} or {@code params."a'b"}) any
 * text. LIKE patterns are PostgreSQL's: {@code %} any text, {@code _} one character, a backslash escapes them.
 */
final class FilterParser {
    private static final int MAX_LENGTH = 10_000;
    private static final int MAX_DEPTH = 32;

    private final List<Token> tokens;
    private int next;
    private int depth;

    private FilterParser(String text, String what) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    what + " is too long: " + text.length() + " characters, at most " + MAX_LENGTH);
        }
        tokens = FilterLexer.tokens(text);
    }

    /** The filter; a null or blank one matches every run. */
    static Filter filter(String text) {
        if (text == null || text.isBlank()) {
            return Filter.ALL;
        }
        FilterParser parser = new FilterParser(text, "filter");
        Filter filter = parser.or();
        parser.expectEnd("AND, OR or the end");
        return filter;
    }

    /** One or more comma-separated order keys, ascending unless {@code DESC}. */
    static List<OrderKey> orderBy(String text) {
        FilterParser parser = new FilterParser(text, "order-by");
        List<OrderKey> keys = new ArrayList<>();
        do {
            Field field = parser.field();
            boolean descending = parser.acceptKeyword("desc");
            if (!descending) {
                parser.acceptKeyword("asc");
            }
            keys.add(new OrderKey(field, descending));
        } while (parser.accept(Type.COMMA));
        parser.expectEnd("ASC, DESC, ',' or the end");
        return keys;
    }

    static Field field(String text) {
        FilterParser parser = new FilterParser(text, "field");
        Field field = parser.field();
        parser.expectEnd("the end");
        return field;
    }

    static Aggregate aggregate(String text) {
        FilterParser parser = new FilterParser(text, "aggregate");
        Token name = parser.advance();
        Aggregate.Function function = Aggregate.Function.named(name.text())
                .filter(f -> name.type() == Type.WORD)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown function " + name.describe() + ": use count, min, max, avg or sum"));
        parser.expect(Type.LEFT, "'('");
        Field field = function == Aggregate.Function.COUNT && parser.accept(Type.STAR) ? null : parser.field();
        if (field != null && function != Aggregate.Function.COUNT && field.kind() == Kind.ATTRIBUTE) {
            throw new IllegalArgumentException(
                    function.sql() + "() takes metrics.KEY, params.KEY or tags.KEY, not " + field);
        }
        parser.expect(Type.RIGHT, "')'");
        parser.expectEnd("the end");
        return new Aggregate(function, field);
    }

    private Filter or() {
        List<Filter> parts = new ArrayList<>(List.of(and()));
        while (acceptKeyword("or")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.Or(parts);
    }

    private Filter and() {
        List<Filter> parts = new ArrayList<>(List.of(unary()));
        while (acceptKeyword("and")) {
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private Filter unary() {
        Token start = peek();
        if (acceptKeyword("not")) {
            return new Filter.Not(nested(start, this::unary));
        }
        if (accept(Type.LEFT)) {
            Filter inner = nested(start, this::or);
            expect(Type.RIGHT, "')'");
            return inner;
        }
        return comparison();
    }

    /** Bounds the recursion, so that a hostile filter cannot exhaust the stack. */
    private Filter nested(Token start, Supplier<Filter> part) {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "filter nests deeper than " + MAX_DEPTH + " levels at position " + start.position());
        }
        try {
            return part.get();
        } finally {
            depth--;
        }
    }

    private Filter comparison() {
        Field field = field();
        Operator operator = operator();
        List<Token> values = operator.takesList() ? valueList() : List.of(value());
        return new Filter.Comparison(field, operator, FilterValues.bindable(field, operator, values));
    }

    private Field field() {
        Token word = advance();
        if (word.type() != Type.WORD) {
            throw unexpected(word, "a field (metrics.KEY, params.KEY, tags.KEY or a run attribute)");
        }
        int dot = word.text().indexOf('.');
        Kind kind = dot < 0 ? null : Kind.ofPrefix(word.text().substring(0, dot));
        if (kind == null) {
            return attribute(word, dot < 0 ? word.text() : null);
        }
        String key = word.text().substring(dot + 1);
        boolean quotedKey = peek().type() == Type.STRING || peek().type() == Type.BACKQUOTED;
        if (key.isEmpty() && quotedKey && peek().start() == word.end()) {
            key = advance().text();
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("field " + word.describe() + " needs a key, e.g. " + kind.prefix
                    + ".rmse or " + kind.prefix + ".`my key`");
        }
        return kind == Kind.ATTRIBUTE ? attribute(word, key) : new Field(kind, key);
    }

    private static Field attribute(Token token, String name) {
        return RunAttribute.named(name == null ? "" : name)
                .map(Field::attribute)
                .orElseThrow(() -> new IllegalArgumentException("unknown field " + token.describe()
                        + ": use metrics.KEY, params.KEY, tags.KEY or one of " + RunAttribute.names()));
    }

    private Operator operator() {
        Token token = advance();
        boolean not = token.isKeyword("not");
        if (not) {
            token = advance();
        }
        if (token.isKeyword("in")) {
            return not ? Operator.NOT_IN : Operator.IN;
        }
        if (token.isKeyword("like")) {
            return not ? Operator.NOT_LIKE : Operator.LIKE;
        }
        if (token.type() == Type.OPERATOR && !not) {
            return switch (token.text()) {
                case "=" -> Operator.EQ;
                case "!=", "<>" -> Operator.NE;
                case "<" -> Operator.LT;
                case "<=" -> Operator.LE;
                case ">" -> Operator.GT;
                default -> Operator.GE;
            };
        }
        throw unexpected(token, not ? "IN or LIKE after NOT" : "an operator (= != < <= > >= LIKE IN)");
    }

    private Token value() {
        Token token = advance();
        if (token.type() == Type.STRING || token.type() == Type.NUMBER) {
            return token;
        }
        IllegalArgumentException error = unexpected(token, "a value (a number or a quoted string)");
        throw token.type() == Type.WORD ? new IllegalArgumentException(error.getMessage() + ": quote text") : error;
    }

    private List<Token> valueList() {
        expect(Type.LEFT, "'(' after IN");
        List<Token> values = new ArrayList<>(List.of(value()));
        while (accept(Type.COMMA)) {
            values.add(value());
        }
        expect(Type.RIGHT, "',' or ')'");
        return values;
    }

    // --- tokens ---

    private Token peek() {
        return tokens.get(next);
    }

    private Token advance() {
        Token token = peek();
        if (token.type() != Type.END) {
            next++;
        }
        return token;
    }

    private boolean accept(Type type) {
        if (peek().type() == type) {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(Type type, String what) {
        if (!accept(type)) {
            throw unexpected(peek(), what);
        }
    }

    private void expectEnd(String what) {
        if (peek().type() != Type.END) {
            throw unexpected(peek(), what);
        }
    }

    private static IllegalArgumentException unexpected(Token token, String expected) {
        return new IllegalArgumentException("expected " + expected + ", got " + token.describe());
    }
}
