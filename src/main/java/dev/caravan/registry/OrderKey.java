package dev.caravan.registry;

/** One key of a search's order: runs without the field sort last either way. */
record OrderKey(Field field, boolean descending) {}
