package dev.caravan.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * DJL's PyTorch engine with Caravan's defaults: offline (the natives ship in the jar), and one intra-op and one
 * inter-op thread unless {@code CARAVAN_TORCH_THREADS} or the DJL properties say otherwise. Small MLPs gain
 * nothing from more threads, and on a busy machine OpenMP's spinning threads can slow training many times over.
 */
public final class Engines {
    private static int intraOpThreads;

    private Engines() {}

    /**
     * The engine, with the intra-op thread count applied to the calling thread too: MKL keeps that count per
     * thread, and a thread that never set it computes with every core, which also changes the last bits of the
     * results (a run on a server's thread would not match the same run on the CLI's).
     */
    public static Engine pytorch() {
        Engine engine = loaded();
        JniUtils.setNumThreads(intraOpThreads);
        return engine;
    }

    private static synchronized Engine loaded() {
        if (intraOpThreads == 0) {
            System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
            String threads = System.getenv().getOrDefault("CARAVAN_TORCH_THREADS", "1");
            if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_threads", threads);
            }
            if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            intraOpThreads = Integer.parseInt(
                    System.getProperty("ai.djl.pytorch.num_threads").trim());
        }
        return Engine.getEngine("PyTorch");
    }
}
