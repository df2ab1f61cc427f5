package dev.caravan.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits query text into tokens. Anything it does not know, comment markers and semicolons included, is an error. */
final class FilterLexer {
    enum Type {
        WORD,
        NUMBER,
        STRING,
        BACKQUOTED,
        OPERATOR,
        LEFT,
        RIGHT,
        COMMA,
        STAR,
        END
    }

    /** A token; {@code start} and {@code end} are offsets into the text, {@code text} is a string's content. */
    record Token(Type type, String text, int start, int end) {
        boolean isKeyword(String keyword) {
            return type == Type.WORD && text.equalsIgnoreCase(keyword);
        }

        /** The 1-based position error messages name. */
        int position() {
            return start + 1;
        }

        String describe() {
            return type == Type.END ? "the end" : "'" + text + "' at position " + position();
        }
    }

    private final String text;
    private int at;

    private FilterLexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        FilterLexer lexer = new FilterLexer(text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.type() != Type.END);
        return tokens;
    }

    private Token next() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        int start = at;
        if (at == text.length()) {
            return new Token(Type.END, "", start, start);
        }
        char c = text.charAt(at);
        if (Character.isLetter(c) || c == '_') {
            return word(start);
        }
        if (Character.isDigit(c) || startsSignedNumber(c)) {
            return number(start);
        }
        return switch (c) {
            case '\'', '"' -> quoted(start, c, Type.STRING);
            case '`' -> quoted(start, c, Type.BACKQUOTED);
            case '(' -> single(Type.LEFT);
            case ')' -> single(Type.RIGHT);
            case ',' -> single(Type.COMMA);
            case '*' -> single(Type.STAR);
            case '=', '<', '>', '!' -> operator(start);
            default -> throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "unexpected character '%s' at position %d",
                    text.substring(at, text.offsetByCodePoints(at, 1)),
                    start + 1));
        };
    }

    private boolean startsSignedNumber(char c) {
        boolean signOrDot = c == '-' || c == '+' || c == '.';
        return signOrDot
                && at + 1 < text.length()
                && (Character.isDigit(text.charAt(at + 1)) || (c != '.' && text.charAt(at + 1) == '.'));
    }

    private Token word(int start) {
        while (at < text.length() && isWordPart(text.charAt(at))) {
            at++;
        }
        return new Token(Type.WORD, text.substring(start, at), start, at);
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    private Token number(int start) {
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || "+-.eE".indexOf(text.charAt(at)) >= 0)) {
            at++;
        }
        String number = text.substring(start, at);
        if (!number.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("'" + number + "' at position " + (start + 1) + " is not a number");
        }
        if (!Double.isFinite(Double.parseDouble(number))) {
            throw new IllegalArgumentException("'" + number + "' at position " + (start + 1) + " is out of range");
        }
        return new Token(Type.NUMBER, number, start, at);
    }

    /** A quoted string or key; the quote character doubled stands for itself. */
    private Token quoted(int start, char quote, Type type) {
        StringBuilder content = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c != quote) {
                content.append(c);
            } else if (at < text.length() && text.charAt(at) == quote) {
                content.append(quote);
                at++;
            } else {
                return new Token(type, content.toString(), start, at);
            }
        }
        throw new IllegalArgumentException("unterminated " + quote + " quote starting at position " + (start + 1));
    }

    private Token single(Type type) {
        at++;
        return new Token(type, text.substring(at - 1, at), at - 1, at);
    }

    private Token operator(int start) {
        for (String operator : List.of("<=", ">=", "!=", "<>", "=", "<", ">")) {
            if (text.startsWith(operator, start)) {
                at += operator.length();
                return new Token(Type.OPERATOR, operator, start, at);
            }
        }
        throw new IllegalArgumentException("unexpected character '!' at position " + (start + 1) + ": use !=");
    }
}
