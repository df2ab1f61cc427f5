package dev.caravan.pipeline;

import dev.caravan.spec.PipelineSpec;
import java.util.function.Function;

/**
 * One stage of the pipeline: the name its route, its records and its checkpoint go by, its body, the typed output
 * it hands on to later stages, and the settings that output depends on.
 *
 * @param output the type of what the stage hands on, saved as its checkpoint; {@code Void} when it hands nothing on
 * @param cacheConfig the settings its output depends on, for the step cache; null when it is never cached (it
 *     registers or deploys something of its own run)
 */
record Stage<T>(String name, Class<T> output, Body<T> body, Function<PipelineSpec, Object> cacheConfig) {
    /** What the stage does with the run so far. */
    @FunctionalInterface
    interface Body<T> {
        StageResult<T> run(RunState state);
    }

    /** Whether later stages read what this one made (and so whether it has a checkpoint). */
    boolean handsOn() {
        return output != Void.class;
    }

    boolean cached() {
        return cacheConfig != null;
    }

    @Override
    public String toString() {
        return name;
    }
}
