package dev.caravan.registry.entity;

import java.util.List;

/** A page of runs; {@code nextOffset} asks for the next page, and is null on the last one. */
public record RunPage(List<Run> runs, Integer nextOffset) {}
