package dev.caravan.registry.entity;

/** Where a run is: going, or ended one way or the other. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED
}
