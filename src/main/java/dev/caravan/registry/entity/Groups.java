package dev.caravan.registry.entity;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** Aggregates over groups of runs: {@code {"groups": [{"group": {...}, "count(*)": 12, ...}]}}. */
public record Groups(List<Group> groups) {
    /**
     * One group: its fields' values, and each aggregate under its own text ({@code min(metrics.val_loss)}).
     * Values are numbers (counts as integers) or text; null where a run lacks the field.
     */
    public record Group(
            @JsonProperty("group") Map<String, Object> group, @JsonAnyGetter Map<String, Object> aggregates) {}
}
