package dev.caravan.registry.entity;

import java.util.List;

/** Where an alias points now ({@code current}, null if nowhere) and each of its moves, newest first. */
public record AliasHistory(String model, String alias, Integer current, List<AliasMove> moves) {}
