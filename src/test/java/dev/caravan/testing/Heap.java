package dev.caravan.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

/** The heap a process keeps: what is still in use after full collections, for bounds on what an attack leaves. */
public final class Heap {
    private Heap() {}

    /** Fails unless the heap retains less than {@code bound} bytes more than {@code before} (a {@link #retained}). */
    public static void assertGrewLessThan(long before, long bound) {
        assertThat(retained() - before).as("bytes retained beyond the start").isLessThan(bound);
    }

    /** Bytes in use after two full collections (the second frees what the first's finalizers released). */
    public static long retained() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
