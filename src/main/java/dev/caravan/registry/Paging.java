package dev.caravan.registry;

import java.util.List;

/**
 * Offset paging for searches and listings: at most {@code limit} rows after skipping {@code offset}. A query reads
 * one row more than the page holds to know whether another page follows.
 */
public record Paging(int limit, int offset) {
    /** The most rows one page (or one aggregate) returns. */
    public static final int MAX_LIMIT = 10_000;

    public Paging {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        if (offset < 0 || offset > Integer.MAX_VALUE - limit) {
            throw new IllegalArgumentException(
                    "offset must be 0 to " + (Integer.MAX_VALUE - limit) + ", not " + offset);
        }
    }

    /** The SQL clause, with its two parameters. */
    Sql clause() {
        return new Sql().add(" limit ? offset ?", limit + 1, offset);
    }

    /** The page of {@code rows} (as read with {@link #clause()}). */
    <T> List<T> page(List<T> rows) {
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    /** The offset of the next page, or null when {@code rows} (as read with {@link #clause()}) hold the last. */
    Integer nextOffset(List<?> rows) {
        return rows.size() > limit ? offset + limit : null;
    }
}
