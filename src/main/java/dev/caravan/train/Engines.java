package dev.caravan.train;

import ai.djl.engine.Engine;

/**
 * DJL's PyTorch engine with Caravan's defaults: offline (the natives ship in the jar), and one intra-op and one
 * inter-op thread unless {@code CARAVAN_TORCH_THREADS} or the DJL properties say otherwise. Small MLPs gain
 * nothing from more threads, and on a busy machine OpenMP's spinning threads can slow training many times over.
 */
public final class Engines {
    private Engines() {
    }

    public static synchronized Engine pytorch() {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        String threads = System.getenv().getOrDefault("CARAVAN_TORCH_THREADS", "1");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads);
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        return Engine.getEngine("PyTorch");
    }
}
